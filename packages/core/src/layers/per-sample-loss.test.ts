import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../runtime/backend/wasm-kernels/test-helpers';
import { lossName, perSampleLoss } from './per-sample-loss';

beforeEach(async () => {
  await useBackend('cpu');
});

function values(t: tf.Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

describe('perSampleLoss', () => {
  let logits: tf.Tensor2D;
  let probabilities: tf.Tensor2D;
  let oneHot: tf.Tensor2D;
  beforeEach(() => {
    logits = tf.tensor2d([[2, -1, 0.5], [0.1, 0.2, -3], [-1, 4, 1]]);
    probabilities = tf.softmax(logits);
    oneHot = tf.tensor2d([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  });

  it('categorical cross-entropy: −log p of the true class, from probabilities and from logits alike', () => {
    const p = probabilities.arraySync() as number[][];
    const expected = [-Math.log(p[0][0]), -Math.log(p[1][2]), -Math.log(p[2][1])];
    values(perSampleLoss('categoricalCrossentropy', oneHot, probabilities)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    values(perSampleLoss('categoricalCrossentropy', oneHot, logits, 'logits')).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    values(perSampleLoss('sparseCategoricalCrossentropy', tf.tensor1d([0, 2, 1]), logits, 'logits')).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('keeps a saturated softmax finite from logits (Keras), where probabilities clip at 1e-7', () => {
    const extreme = tf.tensor2d([[60, 0, 0]]);
    const wrongClass = tf.tensor2d([[0, 1, 0]]);
    expect(values(perSampleLoss('categoricalCrossentropy', wrongClass, extreme, 'logits'))[0]).toBeCloseTo(60, 4);
    expect(values(perSampleLoss('categoricalCrossentropy', wrongClass, tf.softmax(extreme)))[0]).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it('binary cross-entropy, mean squared and absolute errors match tfjs-layers per sample', () => {
    const yTrue = tf.tensor2d([[1, 0], [0, 0], [1, 1]]);
    const z = tf.tensor2d([[0.3, -2], [1.5, 0.2], [-0.7, 3]]);
    const p = tf.sigmoid(z);
    const bce = values(tfl.metrics.binaryCrossentropy(yTrue, p));
    values(perSampleLoss('binaryCrossentropy', yTrue, p)).forEach((v, i) => expect(v).toBeCloseTo(bce[i], 5));
    values(perSampleLoss('binaryCrossentropy', yTrue, z, 'logits')).forEach((v, i) => expect(v).toBeCloseTo(bce[i], 5));
    expect(values(perSampleLoss('meanSquaredError', yTrue, z))).toEqual(values(tfl.metrics.meanSquaredError(yTrue, z)));
    expect(values(perSampleLoss('meanAbsoluteError', yTrue, z))).toEqual(values(tfl.metrics.meanAbsoluteError(yTrue, z)));
  });

  it('averages losses of rank > 2 over every axis but the batch', () => {
    const yTrue = tf.zeros([2, 2, 2]);
    const yPred = tf.tensor3d([[[1, 1], [1, 1]], [[2, 0], [0, 0]]]);
    expect(values(perSampleLoss('meanSquaredError', yTrue, yPred))).toEqual([1, 1]);
  });

  it('accepts compile\'s names and aliases and names the accepted ones otherwise', () => {
    expect(lossName('mse')).toBe('meanSquaredError');
    expect(lossName('categorical_crossentropy')).toBe('categoricalCrossentropy');
    expect(() => lossName('hinge')).toThrow(/expected one of categoricalCrossentropy, .*found 'hinge'/);
  });
});
