import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '@ausam/core';
import { crossEntropy } from '../task/classification-task';
import type { ClassifierModel } from './classifier-model';
import { createModel } from './factory';
import { cifarResNet } from './resnet';

/** Training-mode pass that leaves running statistics alone, so the loss is a pure function of the weights. */
const MODE = { training: true, updateStatistics: false };

function meanLoss(model: ClassifierModel, images: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
  return tf.mean(crossEntropy(model.forward(images, MODE), labels));
}

/** Loss and the gradient of every trainable variable, copied out of the backend. */
function lossAndGradients(model: ClassifierModel, images: tf.Tensor4D, labels: tf.Tensor1D) {
  const variables = model.trainableVariables as tf.Variable[];
  const { value, grads } = tf.variableGrads(() => meanLoss(model, images, labels), variables);
  const loss = value.dataSync()[0];
  const gradients = variables.map((v) => {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`no gradient for ${v.name}`);
    return g.dataSync().slice();
  });
  value.dispose();
  tf.dispose(grads);
  return { loss, gradients };
}

/** A small batch: images from a fixed seed, labels cycling over the classes. */
function makeBatch(size: number, channels: number, batch: number, classes: number) {
  const images = tf.randomNormal([batch, size, size, channels], 0, 1, 'float32', 11) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % classes),
    'int32',
  );
  return { images, labels };
}

describe('gradients', () => {
  it('match central finite differences along a random direction (cpu, tiny ResNet)', async () => {
    await tf.setBackend('cpu');
    const model = cifarResNet({ numClasses: 3, inputChannels: 1, seed: 3 }, 8, 4);
    const { images, labels } = makeBatch(6, 1, 4, 3);
    const variables = model.trainableVariables as tf.Variable[];
    const { gradients } = lossAndGradients(model, images, labels);

    // Unit direction d over all variables; compare ∇L·d with (L(w + h·d) − L(w − h·d)) / 2h.
    const directions = variables.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 100 + i));
    const norm = Math.sqrt(directions.reduce((s, d) => s + tf.sum(tf.square(d)).dataSync()[0], 0));
    const directional = gradients.reduce((s, g, i) => {
      const d = directions[i].dataSync();
      return s + g.reduce((acc, gj, j) => acc + gj * d[j], 0);
    }, 0) / norm;
    const originals = variables.map((v) => v.clone());
    const lossAt = (step: number) => {
      variables.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i], tf.mul(directions[i], step / norm)))));
      return tf.tidy(() => meanLoss(model, images, labels).dataSync()[0]);
    };
    const h = 1e-2;
    const finiteDifference = (lossAt(h) - lossAt(-h)) / (2 * h);
    variables.forEach((v, i) => v.assign(originals[i]));

    expect(Math.abs(directional)).toBeGreaterThan(1e-2);
    expect(Math.abs(finiteDifference - directional)).toBeLessThan(2e-2 * Math.abs(directional) + 1e-4);
    tf.dispose([...directions, ...originals, images, labels]);
    model.dispose();
  });

  // The filter / depthwise gradients on wasm are core's own kernels: check them on real models.
  it.each([
    ['resnet (conv, 1x1 projections)', () => cifarResNet({ numClasses: 3, inputChannels: 1, seed: 5 }, 8, 4), 6, 1],
    ['pyramidnet (avg-pool, zero-padded shortcuts)', () => createModel('pyramidnet-20-8', { numClasses: 3, inputChannels: 3, seed: 5 }), 8, 3],
    ['mobilenetv1 (depthwise)', () => createModel('mobilenetv1-0.125', { numClasses: 3, inputChannels: 3, seed: 5 }), 8, 3],
  ] as const)('on wasm agree with cpu: %s', async (_label, build, size, channels) => {
    await tf.setBackend('cpu');
    const model = build();
    const { images, labels } = makeBatch(size, channels, 4, 3);
    const cpu = lossAndGradients(model, images, labels);
    await selectBackend({ force: 'wasm', log: () => {} });
    const wasm = lossAndGradients(model, images, labels);

    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    const scale = Math.max(...cpu.gradients.map((g) => g.reduce((m, x) => Math.max(m, Math.abs(x)), 0)));
    expect(scale).toBeGreaterThan(0);
    cpu.gradients.forEach((g, i) => {
      const w = wasm.gradients[i];
      let worst = 0;
      for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - w[j]));
      expect({ variable: model.trainableVariables[i].name, worst: worst <= 1e-3 * scale }).toEqual({
        variable: model.trainableVariables[i].name,
        worst: true,
      });
    });
    tf.dispose([images, labels]);
    model.dispose();
  });
});
