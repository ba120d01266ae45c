import * as tf from '@tensorflow/tfjs-core';
import { expectWasmMatchesCpu, randInt, randomValues, seededRandom, useBackend, valuesOn } from './test-helpers';

interface Case {
  xShape: number[];
  numSegments: number;
}

function randomCases(seed: number, count: number): Case[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const xShape = Array.from({ length: randInt(random, 1, 4) }, () => randInt(random, 1, 6));
    return { xShape, numSegments: randInt(random, 1, 6) };
  });
}

/** Ids include negatives and ids >= numSegments, which TensorFlow drops. */
function segmentSum(c: Case, seed: number) {
  return () => {
    const random = seededRandom(seed);
    const ids = Int32Array.from({ length: c.xShape[0]! }, () => randInt(random, -1, c.numSegments));
    const x = tf.tensor(randomValues(random, tf.util.sizeFromShape(c.xShape)), c.xShape);
    return tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), c.numSegments);
  };
}

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(17, 25).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
    await expectWasmMatchesCpu(segmentSum(c, 400 + i), 1e-4, `x ${c.xShape} segments ${c.numSegments}`);
  });

  it('sums int32 exactly, keeps the dtype, and drops out-of-range ids', async () => {
    await useBackend('wasm');
    const out = tf.unsortedSegmentSum(
      tf.tensor2d([[16777217, 1], [1, 2], [5, 5], [7, 7]], [4, 2], 'int32'),
      tf.tensor1d([2, 2, -1, 3], 'int32'),
      3,
    );
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([0, 0, 0, 0, 16777218, 3]);
    out.dispose();
  });

  it('returns zeros for no ids or no segments', async () => {
    await useBackend('wasm');
    const empty = tf.unsortedSegmentSum(tf.zeros([0, 3]), tf.tensor1d([], 'int32'), 2);
    expect(empty.shape).toEqual([2, 3]);
    expect(Array.from(empty.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    const none = tf.unsortedSegmentSum(tf.ones([2, 3]), tf.tensor1d([0, 1], 'int32'), 0);
    expect(none.shape).toEqual([0, 3]);
    tf.dispose([empty, none]);
  });

  it.each([
    [0, [6, 4], [1, 1, 4, 0, 5, 1]],
    [1, [3, 5, 2], [4, 0, 0, 2]],
    [2, [2, 3, 4], [3, 3, 1]],
  ] as const)('gives gather (axis %i) the same gradient as cpu', async (axis, shape, indices) => {
    await expectWasmMatchesCpu(() => {
      const random = seededRandom(axis + 31);
      const params = tf.tensor(randomValues(random, tf.util.sizeFromShape([...shape])), [...shape]);
      const outShape = shape.map((d, i) => (i === axis ? indices.length : d));
      const weights = tf.tensor(randomValues(random, tf.util.sizeFromShape(outShape)), outShape);
      const idx = tf.tensor1d([...indices], 'int32');
      return tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, idx, axis), weights)))(params);
    });
  });

  it('rejects bool data and segmentIds that are not one id per row, naming the kernel', async () => {
    await useBackend('wasm');
    expect(() => tf.unsortedSegmentSum(tf.tensor1d([true, false], 'bool'), tf.tensor1d([0, 1], 'int32'), 2)).toThrow(
      /UnsortedSegmentSum .*x dtype 'bool' is not supported/,
    );
    expect(() => tf.unsortedSegmentSum(tf.ones([2, 3]), tf.tensor1d([0, 1, 0], 'int32'), 2)).toThrow(
      /UnsortedSegmentSum .*segmentIds must be 1-D with one id per row of x; got shape \[3\] for x shape \[2, 3\]/,
    );
    const ids2d = tf.tensor2d([[0, 1, 0], [1, 1, 0]], [2, 3], 'int32') as unknown as tf.Tensor1D;
    expect(() => tf.unsortedSegmentSum(tf.ones([2, 3]), ids2d, 2)).toThrow(
      /UnsortedSegmentSum .*segmentIds must be 1-D/,
    );
  });

  it('agrees with cpu on values for int32 data (cpu returns them as float32)', async () => {
    const build = () => tf.unsortedSegmentSum(tf.tensor1d([3, 4, 5, 6], 'int32'), tf.tensor1d([1, 0, 1, 7], 'int32'), 2);
    expect(await valuesOn('wasm', build)).toEqual(await valuesOn('cpu', build));
  });
});
