import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './test-helpers';

describe('Cast on wasm (a cast to the same dtype shares the buffer)', () => {
  beforeAll(() => useBackend('wasm'));

  it('casts float32 to float32 without a new buffer, and the result outlives the input', () => {
    const x = tf.tensor2d([1.5, -2, 0, Number.NaN], [2, 2]);
    const buffers = tf.engine().backend.numDataIds();
    const y = tf.cast(x, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    expect([y.shape, y.dtype]).toEqual([[2, 2], 'float32']);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 0, Number.NaN]);
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers - 1);
  });

  it('casts between dtypes through the kernel it replaced', () => {
    const x = tf.tensor1d([1.7, -2.2, 0, 3], 'float32');
    expect(Array.from(tf.cast(x, 'int32').dataSync())).toEqual([1, -2, 0, 3]);
    expect(Array.from(tf.cast(tf.tensor1d([3, 0], 'int32'), 'float32').dataSync())).toEqual([3, 0]);
    expect(Array.from(tf.cast(tf.tensor1d([true, false], 'bool'), 'int32').dataSync())).toEqual([1, 0]);
    expect(Array.from(tf.cast(tf.tensor1d([4, 5], 'int32'), 'int32').dataSync())).toEqual([4, 5]);
    x.dispose();
  });

  it('leaves the ReLU gradient unchanged', () => {
    const x = tf.tensor1d([-1, 0.5, 2, -0.25]);
    const dy = tf.tensor1d([3, -4, 5, 6]);
    const [dx] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), dy)))([x]);
    expect(Array.from(dx!.dataSync())).toEqual([0, -4, 5, 0]);
    tf.dispose([x, dy, dx!]);
  });
});
