import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@ausam/core';
import { decodeHeatmaps, heatmapToImageCoordinates } from '../evaluation/decode-heatmaps';
import { COCO_AUGMENTATION, MPII_AUGMENTATION, NO_AUGMENTATION } from '../transforms/augmentation';
import { loadCocoKeypoints } from './coco-keypoints';
import { loadMpiiAnnotations } from './mpii-json';
import type { PoseBatch } from './pose-batch';
import { PoseDataset } from './pose-dataset';
import { COCO_SKELETON, MPII_SKELETON, flipPermutation } from './skeletons';

const root = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');
const annotations = loadMpiiAnnotations(path.join(root, 'annot/train.json'));
const options = {
  skeleton: MPII_SKELETON,
  inputSize: { width: 64, height: 64 },
  heatmapSize: { width: 16, height: 16 },
  sigma: 1,
  imageRoot: path.join(root, 'images'),
  augmentation: MPII_AUGMENTATION,
};

async function collect(dataset: PoseDataset, ids: Int32Array, batchSize: number, rng?: Rng): Promise<PoseBatch[]> {
  const batches: PoseBatch[] = [];
  for await (const batch of dataset.batches(ids, batchSize, rng)) batches.push(batch);
  return batches;
}

function disposeAll(batches: PoseBatch[]): void {
  for (const b of batches) tf.dispose([b.images, b.heatmaps, b.targetWeights]);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PoseDataset', () => {
  let dataset: PoseDataset;
  beforeAll(async () => {
    dataset = await PoseDataset.create(annotations, options);
  });

  it('yields NHWC batches of images, heatmaps and target weights in id order', async () => {
    const ids = Int32Array.of(5, 0, 3, 1, 2);
    const batches = await collect(dataset, ids, 2);
    expect(batches.map((b) => Array.from(b.ids))).toEqual([[5, 0], [3, 1], [2]]);
    expect(batches[0].images.shape).toEqual([2, 64, 64, 3]);
    expect(batches[0].heatmaps.shape).toEqual([2, 16, 16, 16]);
    expect(batches[0].targetWeights.shape).toEqual([2, 16]);
    expect(batches[2].images.shape).toEqual([1, 64, 64, 3]);
    expect(Array.from(batches[0].meta.visibility.slice(0, 16))).toEqual(Array.from(annotations[5].visibility));
    disposeAll(batches);
  });

  it('without augmentation, decoded targets map back onto the ground-truth joints', async () => {
    const ids = Int32Array.from(annotations, (_, i) => i);
    const [batch] = await collect(dataset, ids, ids.length);
    const weights = batch.targetWeights.dataSync();
    const decoded = decodeHeatmaps(batch.heatmaps.dataSync() as Float32Array, ids.length, options.heatmapSize, 16);
    const inImage = heatmapToImageCoordinates(decoded.coords, batch.meta.centers, batch.meta.scales, options.heatmapSize);
    let checked = 0;
    ids.forEach((id, i) => {
      const pixelsPerHeatmapPixel = (annotations[id].scale[0] * 200) / 16;
      for (let j = 0; j < 16; j++) {
        if (weights[i * 16 + j] === 0) continue;
        const x = annotations[id].joints[2 * j];
        const y = annotations[id].joints[2 * j + 1];
        // inside the heatmap: quarter-offset decoding is within 0.25 heatmap px (+ border cases ≤ 0.5)
        const onBorder = [decoded.coords[2 * (i * 16 + j)], decoded.coords[2 * (i * 16 + j) + 1]].some((c) => c < 1 || c > 14);
        const tolerance = (onBorder ? 0.5 : 0.25) * pixelsPerHeatmapPixel + 1e-3;
        expect(Math.abs(inImage[2 * (i * 16 + j)] - x)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(inImage[2 * (i * 16 + j) + 1] - y)).toBeLessThanOrEqual(tolerance);
        checked++;
      }
      // unannotated joints carry no weight
      for (let j = 0; j < 16; j++) if (annotations[id].visibility[j] === 0) expect(weights[i * 16 + j]).toBe(0);
    });
    expect(checked).toBeGreaterThan(50);
    disposeAll([batch]);
  });

  it('augments reproducibly from the rng and differently without it', async () => {
    const ids = Int32Array.of(0, 1, 2, 3);
    const [a] = await collect(dataset, ids, 4, new Rng(11));
    const [b] = await collect(dataset, ids, 4, new Rng(11));
    const [plain] = await collect(dataset, ids, 4);
    expect(Array.from(a.images.dataSync())).toEqual(Array.from(b.images.dataSync()));
    expect(Array.from(a.heatmaps.dataSync())).toEqual(Array.from(b.heatmaps.dataSync()));
    expect(Array.from(a.images.dataSync())).not.toEqual(Array.from(plain.images.dataSync()));
    disposeAll([a, b, plain]);
  });

  it('a flip mirrors the crop exactly and swaps left/right joint labels', async () => {
    const source = (dataset as unknown as { patches: Parameters<PoseDataset['prepareSample']>[1][] }).patches[2];
    const plain = dataset.prepareSample(2, source, NO_AUGMENTATION);
    const flipped = dataset.prepareSample(2, source, { ...NO_AUGMENTATION, flip: true });
    const perm = flipPermutation(MPII_SKELETON);
    for (let j = 0; j < 16; j++) {
      expect(flipped.jointsInCrop[2 * j]).toBeCloseTo(63 - plain.jointsInCrop[2 * perm[j]], 4);
      expect(flipped.jointsInCrop[2 * j + 1]).toBeCloseTo(plain.jointsInCrop[2 * perm[j] + 1], 4);
      expect(flipped.visibility[j]).toBe(plain.visibility[perm[j]]);
    }
    const mirrored = new Uint8Array(plain.crop.data.length);
    for (let v = 0; v < 64; v++) {
      for (let u = 0; u < 64; u++) mirrored.set(plain.crop.data.subarray((v * 64 + 63 - u) * 3, (v * 64 + 64 - u) * 3), (v * 64 + u) * 3);
    }
    expect(Buffer.from(flipped.crop.data).equals(Buffer.from(mirrored))).toBe(true);
  });

  it("cache 'none' decodes on demand and gives nearly the same crops as cached patches", async () => {
    const onDemand = await PoseDataset.create(annotations, { ...options, cache: 'none' });
    const ids = Int32Array.of(0, 4);
    const [cached] = await collect(dataset, ids, 2);
    const [decoded] = await collect(onDemand, ids, 2);
    const difference = tf.tidy(() => tf.mean(tf.abs(tf.sub(cached.images, decoded.images))).dataSync()[0]);
    // normalised units (≈ 1/(255·0.225) per grey level): the patch adds one bilinear resampling
    expect(difference).toBeLessThan(0.15);
    expect(Array.from(cached.heatmaps.dataSync())).toEqual(Array.from(decoded.heatmaps.dataSync()));
    disposeAll([cached, decoded]);
  });

  it('rejects ids outside the dataset', async () => {
    await expect(collect(dataset, Int32Array.of(6), 1)).rejects.toThrow(/sample id 6 outside 0..5/);
  });

  it('builds COCO batches (17 joints, 4:3 crops) with half-body augmentation', async () => {
    const people = loadCocoKeypoints(path.join(root, '../coco/person_keypoints_tiny.json'), { aspectRatio: 0.75 });
    const coco = await PoseDataset.create(people, {
      skeleton: COCO_SKELETON,
      inputSize: { width: 48, height: 64 },
      heatmapSize: { width: 12, height: 16 },
      imageRoot: path.join(root, 'images'),
      augmentation: { ...COCO_AUGMENTATION, halfBodyProbability: 1, halfBodyMinJoints: 3 },
    });
    const ids = Int32Array.from(people, (_, i) => i);
    const [batch] = await collect(coco, ids, ids.length, new Rng(2));
    expect(batch.images.shape).toEqual([people.length, 64, 48, 3]);
    expect(batch.heatmaps.shape).toEqual([people.length, 16, 12, 17]);
    expect(batch.targetWeights.dataSync().some((w) => w > 0)).toBe(true);
    expect(Array.from(batch.images.dataSync()).every(Number.isFinite)).toBe(true);
    disposeAll([batch]);
  });
});
