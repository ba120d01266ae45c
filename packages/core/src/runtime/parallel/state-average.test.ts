import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { averageState } from './state-average';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('averageState', () => {
  it('assigns the slice-size-weighted mean when the replicas differ (hand-computed)', () => {
    const mean = tf.variable(tf.tensor1d([1, 2]));
    const variance = tf.variable(tf.tensor1d([4]));
    averageState([mean, variance], [Float32Array.from([3, 2, 1]), Float32Array.from([5, 8, 7])], [0.5, 0.25, 0.25]);
    // 0.5·1 + 0.25·3 + 0.25·5 = 2.5; 0.5·2 + 0.25·2 + 0.25·8 = 3.5; 0.5·4 + 0.25·1 + 0.25·7 = 4
    expect(Array.from(mean.dataSync())).toEqual([2.5, 3.5]);
    expect(Array.from(variance.dataSync())).toEqual([4]);
    tf.dispose([mean, variance]);
  });

  it('leaves the variables in place, unassigned, when every replica returns their values bit for bit', () => {
    const values = Float32Array.from([0.1, -3.7, 1e-30]);
    const state = tf.variable(tf.tensor1d(values));
    const dataBefore = state.dataId;
    const tensorsBefore = tf.memory().numTensors;
    averageState([state], [values.slice(), values.slice()], [43 / 128, 43 / 128, 42 / 128]);
    expect(state.dataId).toBe(dataBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Array.from(state.dataSync())).toEqual(Array.from(values));
    state.dispose();
  });

  it('averages when values differ only in the sign of a zero (compared as bits)', () => {
    const state = tf.variable(tf.tensor1d([-0]));
    const dataBefore = state.dataId;
    averageState([state], [Float32Array.from([0])], [0.5, 0.5]);
    expect(state.dataId).not.toBe(dataBefore);
    expect(Object.is(state.dataSync()[0], 0)).toBe(true);
    state.dispose();
  });
});
