import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import type { ForwardMode } from '@ausam/core';
import { loadMpiiAnnotations } from '../data/mpii-json';
import type { PoseBatch } from '../data/pose-batch';
import { PoseDataset } from '../data/pose-dataset';
import { COCO_SKELETON, MPII_SKELETON } from '../data/skeletons';
import { loadCocoKeypoints } from '../data/coco-keypoints';
import { meanPoseBaseline } from '../evaluation/mean-pose-baseline';
import { buildPoseModel } from '../models/build-model';
import { hrnetSmall } from '../models/hrnet';
import type { PoseModel } from '../models/pose-model';
import { PoseTask } from './pose-task';

const root = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');
const train = loadMpiiAnnotations(path.join(root, 'annot/train.json'));
const valid = loadMpiiAnnotations(path.join(root, 'annot/valid.json'));
const inputSize = { width: 64, height: 64 };
const heatmapSize = { width: 16, height: 16 };
const TRAIN: ForwardMode = { training: true, updateStatistics: true };

/** A stand-in model whose output the test sets (no variables). */
class ScriptedModel implements PoseModel {
  readonly trainableVariables = [];
  readonly stateVariables = [];
  constructor(
    readonly respond: (images: tf.Tensor4D) => tf.Tensor4D,
    readonly numJoints = 16,
    readonly inputSize = { width: 64, height: 64 },
    readonly heatmapSize = { width: 16, height: 16 },
  ) {}
  forward(images: tf.Tensor4D): tf.Tensor4D {
    return this.respond(images);
  }
  parameterCount(): number {
    return 0;
  }
  dispose(): void {}
}

let dataset: PoseDataset;

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  dataset = await PoseDataset.create(train, { skeleton: MPII_SKELETON, inputSize, heatmapSize, sigma: 1, imageRoot: path.join(root, 'images') });
});

describe('PoseTask', () => {
  it('gives one JointsMSE value per sample, differentiable on the backend, without leaking tensors', async () => {
    const model = buildPoseModel(hrnetSmall(16), new Rng(0));
    const task = new PoseTask({ model, skeleton: MPII_SKELETON });
    const before = tf.memory().numTensors;
    for await (const batch of dataset.batches(Int32Array.of(0, 1, 2, 3), 4)) {
      const loss = task.perSampleLoss(batch, TRAIN);
      expect(loss.shape).toEqual([4]);
      loss.dispose();
      const { value, grads } = tf.variableGrads(() => tf.mean(task.perSampleLoss(batch, TRAIN)) as tf.Scalar, model.trainableVariables as tf.Variable[]);
      expect(Object.keys(grads)).toHaveLength(model.trainableVariables.length);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);

      const subset = task.selectSamples(batch, Int32Array.of(3, 1));
      expect(Array.from(subset.ids)).toEqual([3, 1]);
      expect(subset.images.shape).toEqual([2, 64, 64, 3]);
      expect(Array.from(subset.targetWeights.dataSync())).toEqual(Array.from(batch.targetWeights.dataSync().slice(48, 64)).concat(Array.from(batch.targetWeights.dataSync().slice(16, 32))));
      expect(Array.from(subset.meta.centers)).toEqual([...Array.from(batch.meta.centers.slice(6, 8)), ...Array.from(batch.meta.centers.slice(2, 4))]);
      task.disposeBatch(subset);
      task.disposeBatch(batch);
    }
    expect(tf.memory().numTensors).toBe(before);
    const metrics = await task.evaluate(dataset, { batchSize: 4 });
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['pckh', 'pckh_at_0.1', 'pckh_r_ankle', 'pckh_head_top', 'loss']));
    expect(metrics.pckh).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
    task.dispose();
    model.dispose();
  });

  it('scores a model that outputs the targets at PCKh 100', async () => {
    // The "oracle" replays each batch's target heatmaps.
    let targets: tf.Tensor4D | undefined;
    const oracle = new ScriptedModel(() => tf.clone(targets!));
    const replaying = {
      size: dataset.size,
      async *batches(ids: Int32Array, batchSize: number) {
        for await (const batch of dataset.batches(ids, batchSize)) {
          targets = batch.heatmaps;
          yield batch as PoseBatch;
        }
      },
    };
    const task = new PoseTask({ model: oracle, skeleton: MPII_SKELETON, flipTest: false });
    const metrics = await task.evaluate(replaying, { batchSize: 3 });
    expect(metrics.pckh).toBe(100);
    expect(metrics.loss).toBe(0);
    task.dispose();
  });

  it('scores a model that outputs the targets at COCO AP ≈ 1 (ground-truth boxes, 17 joints)', async () => {
    const people = loadCocoKeypoints(path.join(root, '../coco/person_keypoints_tiny.json'), { aspectRatio: 0.75 });
    const size = { inputSize: { width: 192, height: 256 }, heatmapSize: { width: 48, height: 64 } };
    const coco = await PoseDataset.create(people, { skeleton: COCO_SKELETON, ...size, imageRoot: path.join(root, 'images') });
    let targets: tf.Tensor4D | undefined;
    const oracle = new ScriptedModel(() => tf.clone(targets!), 17, size.inputSize, size.heatmapSize);
    const replaying = {
      size: coco.size,
      async *batches(ids: Int32Array, batchSize: number) {
        for await (const batch of coco.batches(ids, batchSize)) {
          targets = batch.heatmaps;
          yield batch as PoseBatch;
        }
      },
    };
    const task = new PoseTask({ model: oracle, skeleton: COCO_SKELETON, flipTest: false });
    const metrics = await task.evaluate(replaying, { batchSize: 4 });
    expect(metrics.ap).toBeCloseTo(1, 6);
    expect(metrics.ar).toBeCloseTo(1, 6);
    expect(metrics.loss).toBe(0);
    task.dispose();
  });

  it('flip test averages with the mirrored-back, label-swapped heatmaps shifted one pixel right', () => {
    const heatmaps = tf.randomUniform([1, 16, 16, 16], 0, 1, 'float32', 3) as tf.Tensor4D;
    const images = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const firstPixel = images.dataSync()[0];
    const perm = Array.from({ length: 16 }, (_, j) => j);
    for (const [a, b] of MPII_SKELETON.flipPairs) [perm[a], perm[b]] = [b, a];
    // Mirror-equivariant by construction: a mirrored input gets mirrored, label-swapped heatmaps.
    const model = new ScriptedModel((input) =>
      input.dataSync()[0] === firstPixel ? tf.clone(heatmaps) : tf.gather(tf.reverse(heatmaps, 2), perm, 3),
    );
    const task = new PoseTask({ model, skeleton: MPII_SKELETON });
    const averaged = task.predictHeatmaps(images).arraySync()[0];
    const plain = heatmaps.arraySync()[0];
    for (const [v, u, j] of [[3, 5, 0], [7, 0, 9], [15, 15, 12]]) {
      const shiftedBack = plain[v][Math.max(0, u - 1)][j];
      expect(averaged[v][u][j]).toBeCloseTo((plain[v][u][j] + shiftedBack) / 2, 5);
    }
    tf.dispose([heatmaps, images]);
    task.dispose();
  });

  it('meanPoseBaseline reports PCKh of the mean training pose', () => {
    const own = meanPoseBaseline(train, train, MPII_SKELETON);
    const held = meanPoseBaseline(train, valid, MPII_SKELETON);
    for (const metrics of [own, held]) {
      expect(metrics.pckh).toBeGreaterThanOrEqual(0);
      expect(metrics.pckh).toBeLessThanOrEqual(100);
      expect(metrics).toHaveProperty('pckh_l_wrist');
    }
    // a single training sample as its own "mean" is perfect
    expect(meanPoseBaseline([train[0]], [train[0]], MPII_SKELETON).pckh).toBe(100);
  });
});
