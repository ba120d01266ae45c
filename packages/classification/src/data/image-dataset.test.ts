import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@ausam/core';
import { channelStatistics, InMemoryImageDataset } from './image-dataset';
import type { ClassificationBatch } from './classification-batch';
import { disposeClassificationBatch } from './classification-batch';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 5 images of 2×2×1 whose pixels are 10·i + position, labels i % 3. */
function tinyDataset(extra: Partial<ConstructorParameters<typeof InMemoryImageDataset>[0]> = {}): InMemoryImageDataset {
  const pixels = Uint8Array.from({ length: 5 * 4 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4));
  const labels = Int32Array.from([0, 1, 2, 0, 1]);
  return new InMemoryImageDataset({ pixels, labels, height: 2, width: 2, channels: 1, numClasses: 3, ...extra });
}

async function collect(iterable: AsyncIterable<ClassificationBatch>): Promise<ClassificationBatch[]> {
  const out: ClassificationBatch[] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

describe('InMemoryImageDataset', () => {
  it('validates its parts', () => {
    const base = { height: 2, width: 2, channels: 1, numClasses: 3 };
    expect(() => new InMemoryImageDataset({ ...base, pixels: new Uint8Array(7), labels: new Int32Array(2) })).toThrow(
      'pixels: expected 2 × 2×2×1 = 8 bytes, found 7',
    );
    expect(() => new InMemoryImageDataset({ ...base, pixels: new Uint8Array(8), labels: Int32Array.from([0, 3]) })).toThrow(
      'label of sample 1: expected 0..2, found 3',
    );
    expect(
      () => new InMemoryImageDataset({ ...base, pixels: new Uint8Array(4), labels: Int32Array.from([0]), classNames: ['a'] }),
    ).toThrow('classNames: expected 3 names, found 1');
    expect(() => new InMemoryImageDataset({ ...base, channels: 0, pixels: new Uint8Array(0), labels: new Int32Array(0) })).toThrow(
      'channels: expected a positive integer, found 0',
    );
  });

  it('yields the ids in order, batchSize at a time, normalized, with int32 labels', async () => {
    const ds = tinyDataset({ normalization: { mean: [0.1], std: [0.5] } });
    const before = tf.memory().numTensors;
    const batches = await collect(ds.batches(Int32Array.from([4, 0, 2]), 2));
    expect(batches.map((b) => Array.from(b.ids))).toEqual([[4, 0], [2]]);
    expect(batches[0].images.shape).toEqual([2, 2, 2, 1]);
    expect(batches[0].images.dtype).toBe('float32');
    expect(batches[0].labels.dtype).toBe('int32');
    expect(Array.from(batches[0].labels.dataSync())).toEqual([1, 0]);
    expect(Array.from(batches[1].labels.dataSync())).toEqual([2]);
    const pixels = Array.from(batches[0].images.dataSync());
    const expected = [40, 41, 42, 43, 0, 1, 2, 3].map((v) => (v / 255 - 0.1) / 0.5);
    pixels.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    batches.forEach(disposeClassificationBatch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects out-of-range ids and bad batch sizes at once', () => {
    const ds = tinyDataset();
    expect(() => ds.batches(Int32Array.from([0, 5]), 2)).toThrow(
      new RangeError('sample id 5 at position 1: expected 0..4 (dataset size 5)'),
    );
    expect(() => ds.batches(Int32Array.from([-1]), 2)).toThrow(RangeError);
    expect(() => ds.batches(Int32Array.from([0]), 0)).toThrow('batchSize: expected a positive integer, found 0');
    expect(() => ds.select(Int32Array.from([9]))).toThrow(RangeError);
  });

  it('yields nothing for no ids, and copies the ids it was given', async () => {
    const ds = tinyDataset();
    expect(await collect(ds.batches(new Int32Array(0), 4))).toHaveLength(0);
    const ids = Int32Array.from([1, 2]);
    const iterable = ds.batches(ids, 4);
    ids[0] = 3;
    const [batch] = await collect(iterable);
    expect(Array.from(batch.ids)).toEqual([1, 2]);
    disposeClassificationBatch(batch);
  });

  it('augments only with an rng, reproducibly for a given seed', async () => {
    const ds = tinyDataset({ augmentation: { randomCrop: { padding: 1 }, horizontalFlip: true } });
    const ids = ds.allIds();
    const plain = await collect(ds.batches(ids, 5));
    const a = await collect(ds.batches(ids, 5, new Rng(42)));
    const b = await collect(ds.batches(ids, 5, new Rng(42)));
    expect(a[0].images.arraySync()).toEqual(b[0].images.arraySync());
    expect(a[0].images.arraySync()).not.toEqual(plain[0].images.arraySync());
    expect(Array.from(a[0].labels.dataSync())).toEqual(Array.from(plain[0].labels.dataSync()));
    [...plain, ...a, ...b].forEach(disposeClassificationBatch);
  });

  it('subset, select and split keep labels with their images', () => {
    const ds = tinyDataset({ classNames: ['a', 'b', 'c'] });
    const sub = ds.subset(2);
    expect(sub.size).toBe(2);
    expect(Array.from(sub.labels)).toEqual([0, 1]);
    expect(sub.classNames).toEqual(['a', 'b', 'c']);
    const sel = ds.select(Int32Array.from([3, 1]));
    expect(Array.from(sel.labels)).toEqual([0, 1]);
    expect(Array.from(sel.pixels)).toEqual([30, 31, 32, 33, 10, 11, 12, 13]);
    const [first, rest] = ds.split(2);
    expect(Array.from(first.pixels.subarray(0, 1))).toEqual([0]);
    expect(rest.size).toBe(3);
    const [x, y] = ds.split(2, new Rng(1));
    const firstPixels = [...Array.from(x.pixels), ...Array.from(y.pixels)].filter((_, k) => k % 4 === 0).sort((p, q) => p - q);
    expect(firstPixels).toEqual([0, 10, 20, 30, 40]);
    expect(() => ds.subset(6)).toThrow('subset: expected a count in 0..5, found 6');
    expect(Array.from(ds.classCounts())).toEqual([2, 2, 1]);
    const other = ds.with({ augmentation: { horizontalFlip: true } });
    expect(other.augmentation).toEqual({ horizontalFlip: true });
    expect(other.pixels).toBe(ds.pixels);
  });

  it('channelStatistics computes per-channel mean and std on the [0, 1] scale', () => {
    const stats = channelStatistics(Uint8Array.from([0, 255, 255, 255]), 2);
    expect(stats.mean).toEqual([0.5, 1]);
    expect(stats.std[0]).toBeCloseTo(0.5, 10);
    expect(stats.std[1]).toBe(0);
  });
});
