import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend, type ForwardMode } from '@ausam/core';
import { crossEntropy } from '../task/classification-task';
import type { ClassifierModel } from './classifier-model';
import { createModel } from './factory';
import { cifarResNet } from './resnet';

/** Training-mode pass that leaves running statistics alone, so the loss is a pure function of the weights. */
const TRAIN_NO_STATS: ForwardMode = { training: true, updateStatistics: false };
const EVAL: ForwardMode = { training: false, updateStatistics: false };

function meanLoss(model: ClassifierModel, images: tf.Tensor4D, labels: tf.Tensor1D, mode: ForwardMode): tf.Scalar {
  return tf.mean(crossEntropy(model.forward(images, mode), labels));
}

/** Loss and the gradient of every trainable variable, copied out of the backend. */
function lossAndGradients(model: ClassifierModel, images: tf.Tensor4D, labels: tf.Tensor1D, mode: ForwardMode) {
  const variables = model.trainableVariables as tf.Variable[];
  const { value, grads } = tf.variableGrads(() => meanLoss(model, images, labels, mode), variables);
  const loss = value.dataSync()[0];
  const gradients = variables.map((v) => {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`no gradient for ${v.name}`);
    return Float32Array.from(g.dataSync());
  });
  value.dispose();
  tf.dispose(grads);
  return { loss, gradients };
}

/** Four images from a fixed seed, labels cycling over 3 classes. */
function makeBatch(size: number, channels: number) {
  const images = tf.randomNormal([4, size, size, channels], 0, 1, 'float32', 11) as tf.Tensor4D;
  const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
  return { images, labels };
}

/**
 * Central differences along the normalised gradient u = g/|g|: (L(w + h·u) − L(w − h·u)) / 2h ≈ |g|.
 * ReLU kinks make the error O(h) and float32 noise grows as h shrinks; h = 1e-3 balances both.
 */
function finiteDifferenceRatio(model: ClassifierModel, images: tf.Tensor4D, labels: tf.Tensor1D, mode: ForwardMode) {
  const variables = model.trainableVariables as tf.Variable[];
  const { gradients } = lossAndGradients(model, images, labels, mode);
  const norm = Math.sqrt(gradients.reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0));
  const originals = variables.map((v) => v.clone());
  const lossAt = (step: number) => {
    variables.forEach((v, i) =>
      v.assign(tf.tidy(() => tf.add(originals[i], tf.mul(tf.tensor(gradients[i], v.shape), step / norm)))),
    );
    return tf.tidy(() => meanLoss(model, images, labels, mode).dataSync()[0]);
  };
  const h = 1e-3;
  const finiteDifference = (lossAt(h) - lossAt(-h)) / (2 * h);
  variables.forEach((v, i) => v.assign(originals[i]));
  tf.dispose(originals);
  return { norm, ratio: finiteDifference / norm };
}

const tinyResNet = () => cifarResNet({ numClasses: 3, inputChannels: 1, seed: 3 }, 8, 4);

describe('gradients', () => {
  it('match central finite differences on cpu (tiny ResNet-8, width 4, batch statistics)', async () => {
    await tf.setBackend('cpu');
    const model = tinyResNet();
    const { images, labels } = makeBatch(6, 1);
    const { norm, ratio } = finiteDifferenceRatio(model, images, labels, TRAIN_NO_STATS);
    expect(norm).toBeGreaterThan(1e-2);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.01);
    tf.dispose([images, labels]);
    model.dispose();
  });

  // On wasm the conv/depthwise filter and depthwise input gradients are core's own kernels.
  // MobileNet is checked in eval mode: at width 0.125 its batch-statistics loss is too curved
  // (near-zero channel variances) for float32 differences. In eval mode nothing renormalises its
  // 27 convolutions, so it starts He-normal: with PyTorch's smaller init the logits shrink to
  // float32 noise and the loss is too flat to difference.
  it.each([
    ['wrn-10-1', 8, TRAIN_NO_STATS, 'pytorch'],
    ['wrn-10-1-ausam', 8, TRAIN_NO_STATS, 'pytorch'],
    ['pyramidnet-20-8', 8, TRAIN_NO_STATS, 'pytorch'],
    ['pyramidnet-20-8-bottleneck', 16, TRAIN_NO_STATS, 'pytorch'],
    ['mobilenetv1-0.125', 32, EVAL, 'he-normal'],
  ] as const)('match central finite differences on wasm: %s', async (name, size, mode, init) => {
    await selectBackend({ force: 'wasm', log: () => {} });
    const model = createModel(name, { numClasses: 3, inputChannels: 3, seed: 5, init });
    const { images, labels } = makeBatch(size, 3);
    const { norm, ratio } = finiteDifferenceRatio(model, images, labels, mode);
    expect(norm).toBeGreaterThan(1e-2);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.02);
    tf.dispose([images, labels]);
    model.dispose();
  });

  it.each([
    ['tiny ResNet-8 (conv, 1x1 projections, batch statistics)', tinyResNet, 6, 1, TRAIN_NO_STATS],
    [
      'mobilenetv1-0.125 (depthwise, eval mode)',
      () => createModel('mobilenetv1-0.125', { numClasses: 3, inputChannels: 3, seed: 5 }),
      8,
      3,
      EVAL,
    ],
  ] as const)('agree between wasm and cpu: %s', async (_label, build, size, channels, mode) => {
    await tf.setBackend('cpu');
    const model = build();
    const { images, labels } = makeBatch(size, channels);
    const cpu = lossAndGradients(model, images, labels, mode);
    await selectBackend({ force: 'wasm', log: () => {} });
    const wasm = lossAndGradients(model, images, labels, mode);

    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    const mismatched = cpu.gradients.flatMap((g, i) => {
      const scale = g.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      let worst = 0;
      for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - wasm.gradients[i][j]));
      return scale > 0 && worst <= 1e-3 * scale ? [] : [`${model.trainableVariables[i].name}: ${worst} vs scale ${scale}`];
    });
    expect(mismatched).toEqual([]);
    tf.dispose([images, labels]);
    model.dispose();
  });
});
