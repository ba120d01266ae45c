import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { snapshotWeights } from '@ausam/core';
import type { ClassifierModel } from '../models/classifier-model';
import { ResNet } from '../models/resnet';

/** A zoo model that has no TF.js layers export: names it and the ones that do. */
export class ExportNotSupportedError extends Error {
  constructor(readonly description: string) {
    super(`export to TF.js: expected a ResNet (resnet-small, resnet<6n+2>, resnet18), found ${description}; the safetensors export covers every model`);
    this.name = 'ExportNotSupportedError';
  }
}

/**
 * The same network as one of our {@link ResNet}s, as a `tf.LayersModel` holding its weights:
 * 3×3 convolutions as `zeroPadding2d(1)` + `conv2d('valid')` (PyTorch's padding 1, which TF's
 * 'same' is not at stride 2), BatchNorm with ε 1e-5 and Keras momentum 0.9 (= PyTorch's 0.1),
 * global average pooling and a linear head: it outputs logits. Layer names follow our variable
 * paths (`stage1_block0_conv1`). Input `[null, null, c]`: any image size. `name` names the tf.LayersModel.
 */
export function resnetLayersModel(model: ClassifierModel, name = 'resnet'): tfl.LayersModel {
  if (!(model instanceof ResNet)) throw new ExportNotSupportedError(model.description);
  const weights = snapshotWeights(model);
  const { stemWidth, widths, blocks, strides } = model.config;
  const assignments: [tfl.layers.Layer, string[]][] = [];
  const conv = (x: tfl.SymbolicTensor, name: string, filters: number, kernelSize: 1 | 3, stride: number) => {
    const padded = kernelSize === 3 ? (tfl.layers.zeroPadding2d({ padding: 1, name: `${name}_pad` }).apply(x) as tfl.SymbolicTensor) : x;
    const layer = tfl.layers.conv2d({ filters, kernelSize, strides: stride, padding: 'valid', useBias: false, name });
    assignments.push([layer, [`${name.replace(/_/g, '/')}/filter`]]);
    return layer.apply(padded) as tfl.SymbolicTensor;
  };
  const batchNorm = (x: tfl.SymbolicTensor, name: string) => {
    const layer = tfl.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name });
    const path = name.replace(/_/g, '/');
    assignments.push([layer, ['gamma', 'beta', 'running_mean', 'running_variance'].map((leaf) => `${path}/${leaf}`)]);
    return layer.apply(x) as tfl.SymbolicTensor;
  };
  const relu = (x: tfl.SymbolicTensor) => tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;

  const input = tfl.input({ shape: [null, null, model.inputChannels], name: 'images' });
  let x = relu(batchNorm(conv(input, 'stem_conv', stemWidth, 3, 1), 'stem_bn'));
  let channels = stemWidth;
  widths.forEach((width, s) => {
    for (let b = 0; b < blocks[s]; b++) {
      const stride = b === 0 ? strides[s] : 1;
      const name = `stage${s + 1}_block${b}`;
      const hidden = relu(batchNorm(conv(x, `${name}_conv1`, width, 3, stride), `${name}_bn1`));
      const out = batchNorm(conv(hidden, `${name}_conv2`, width, 3, 1), `${name}_bn2`);
      const shortcut = stride !== 1 || channels !== width ? batchNorm(conv(x, `${name}_shortcut_conv`, width, 1, stride), `${name}_shortcut_bn`) : x;
      x = relu(tfl.layers.add({ name: `${name}_add` }).apply([out, shortcut]) as tfl.SymbolicTensor);
      channels = width;
    }
  });
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  const head = tfl.layers.dense({ units: model.numClasses, name: 'head' });
  assignments.push([head, ['head/kernel', 'head/bias']]);
  const output = head.apply(pooled) as tfl.SymbolicTensor;
  const exported = tfl.model({ inputs: input, outputs: output, name: name.replace(/[^A-Za-z0-9_]+/g, '_') });

  for (const [layer, names] of assignments) {
    const values = names.map((name, k) => {
      const data = weights[name];
      if (!data) throw new Error(`export to TF.js: the model has no variable '${name}' (layer '${layer.name}')`);
      return tf.tensor(data, layer.getWeights()[k].shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
  const covered = new Set(assignments.flatMap(([, names]) => names));
  const left = Object.keys(weights).filter((name) => !covered.has(name));
  if (left.length > 0) throw new Error(`export to TF.js: variables with no layer: ${left.join(', ')}`);
  return exported;
}
