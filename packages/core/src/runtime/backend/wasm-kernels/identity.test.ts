import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './test-helpers';

describe('Identity on wasm (shares the buffer instead of copying it)', () => {
  beforeAll(() => useBackend('wasm'));

  it('clones without a new buffer, and the clone outlives the original', () => {
    const x = tf.tensor2d([1, -2, 3, Number.NaN], [2, 2]);
    const buffers = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    expect(y.shape).toEqual([2, 2]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, Number.NaN]);
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers - 1);
  });

  it('keeps a clone of a variable through assign (what SAM\'s perturbation relies on)', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const saved = tf.keep(tf.clone(v));
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(saved.dataSync())).toEqual([1, 2, 3]);
    v.assign(saved);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([v, saved]);
  });

  it('clones int32, bool and string tensors', () => {
    expect(Array.from(tf.clone(tf.tensor1d([1, 2], 'int32')).dataSync())).toEqual([1, 2]);
    expect(Array.from(tf.clone(tf.tensor1d([true, false], 'bool')).dataSync())).toEqual([1, 0]);
    expect(tf.clone(tf.tensor1d(['a', 'b'], 'string')).arraySync()).toEqual(['a', 'b']);
  });
});
