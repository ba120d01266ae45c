import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { packBatch, unpackBatch } from './batch-transfer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('packBatch / unpackBatch', () => {
  it('round-trips ids, tensors of each dtype and plain fields', () => {
    const batch = {
      ids: Int32Array.from([4, 9]),
      images: tf.tensor3d([1.5, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]),
      labels: tf.tensor1d([3, 1], 'int32'),
      mask: tf.tensor1d([true, false], 'bool'),
      scale: 0.5,
    };
    const { packed, transfer } = packBatch(batch);
    expect(transfer).toHaveLength(4);
    const before = tf.memory().numTensors;
    const back = unpackBatch<typeof batch>(packed);
    expect(tf.memory().numTensors - before).toBe(3);
    expect(Array.from(back.ids)).toEqual([4, 9]);
    expect(back.images.shape).toEqual([2, 2, 2]);
    expect(Array.from(back.images.dataSync())).toEqual([1.5, 2, 3, 4, 5, 6, 7, 8]);
    expect(back.labels.dtype).toBe('int32');
    expect(Array.from(back.labels.dataSync())).toEqual([3, 1]);
    expect(back.mask.dtype).toBe('bool');
    expect(Array.from(back.mask.dataSync())).toEqual([1, 0]);
    expect(back.scale).toBe(0.5);
    tf.dispose([batch.images, batch.labels, batch.mask, back.images, back.labels, back.mask]);
  });

  it('rejects a string tensor, naming the field', () => {
    const batch = { ids: Int32Array.from([0]), names: tf.tensor1d(['a'], 'string') };
    expect(() => packBatch(batch)).toThrow("batch field 'names' has dtype string");
    batch.names.dispose();
  });
});
