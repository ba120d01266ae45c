import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@ausam/core'; // registers tfjs-core's gradients (tf.round, tf.add below)
import { roundStraightThrough, scaleGradient, stopGradient } from './straight-through';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('straight-through primitives', () => {
  const x = () => tf.tensor1d([-1.5, 0.4, 2.5]);
  const gradOf = (f: (t: tf.Tensor) => tf.Tensor) => Array.from(tf.grad(f)(x(), tf.tensor1d([1, 2, 3])).dataSync());

  it('roundStraightThrough: round half to even forward, identity backward', () => {
    expect(Array.from(roundStraightThrough(x()).dataSync())).toEqual([-2, 0, 2]);
    expect(gradOf(roundStraightThrough)).toEqual([1, 2, 3]);
    expect(gradOf(tf.round)).toEqual([0, 0, 0]); // why the STE has to be explicit
  });

  it('scaleGradient: identity forward, g·dy backward; stopGradient: zero backward', () => {
    expect(Array.from(scaleGradient(x(), 0.5).dataSync())).toEqual([-1.5, 0.4, 2.5].map(Math.fround));
    expect(gradOf((t) => scaleGradient(t, 0.5))).toEqual([0.5, 1, 1.5]);
    expect(gradOf((t) => tf.add(stopGradient(t), tf.mul(t, 2)))).toEqual([2, 4, 6]);
  });
});
