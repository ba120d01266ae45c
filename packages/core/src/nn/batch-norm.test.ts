import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../random/rng';
import { BatchNorm } from './batch-norm';
import { ParameterRegistry } from './parameter-registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('BatchNorm', () => {
  it('normalises with batch statistics and moves running stats like PyTorch (momentum 0.1, unbiased var)', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 1);
    const x = tf.tensor4d([1, 2, 3, 6], [4, 1, 1, 1]);
    const y = bn.apply(x, { training: true, updateStatistics: true });
    // mean 3, biased var (4+1+0+9)/4 = 3.5
    const expected = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(bn.runningMean.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
    // unbiased var 14/3
    expect(bn.runningVariance.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
    registry.dispose();
  });

  it('leaves running stats untouched when updateStatistics is false (SAM second pass)', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 2);
    const x = tf.randomNormal([8, 2, 2, 2], 5, 2, 'float32', 3) as tf.Tensor4D;
    bn.apply(x, { training: true, updateStatistics: false });
    expect(Array.from(bn.runningMean.dataSync())).toEqual([0, 0]);
    expect(Array.from(bn.runningVariance.dataSync())).toEqual([1, 1]);
    registry.dispose();
  });

  it('uses running statistics at evaluation', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 1);
    bn.runningMean.assign(tf.tensor1d([2]));
    bn.runningVariance.assign(tf.tensor1d([4]));
    const y = bn.apply(tf.tensor2d([[4]]), { training: false, updateStatistics: false });
    expect(y.dataSync()[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 5);
    registry.dispose();
  });
});

describe('BatchNorm gradient', () => {
  it('equals autodiff through tf.moments + tf.batchNorm', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 3);
    bn.gamma.assign(tf.tensor1d([0.5, 1.5, -2]));
    bn.beta.assign(tf.tensor1d([0.1, -0.3, 0.7]));
    const x = tf.randomNormal([4, 5, 5, 3], 1, 3, 'float32', 5) as tf.Tensor4D;
    const weights = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 6);
    const mode = { training: true, updateStatistics: false };
    const ours = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      void g;
      void b;
      return tf.sum(tf.mul(bn.apply(input, mode), weights));
    });
    const reference = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, b, g, 1e-5), weights));
    });
    const [dx] = ours([x, bn.gamma, bn.beta]);
    const [dxRef, dGammaRef, dBetaRef] = reference([x, bn.gamma, bn.beta]);
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
    close(dx, dxRef);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.apply(x, mode), weights)) as tf.Scalar, [bn.gamma, bn.beta] as tf.Variable[]);
    close(grads[bn.gamma.name], dGammaRef);
    close(grads[bn.beta.name], dBetaRef);
    registry.dispose();
  });
});
