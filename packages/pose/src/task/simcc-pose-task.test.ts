import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import type { ForwardMode } from '@ausam/core';
import { loadCocoKeypoints } from '../data/coco-keypoints';
import { loadMpiiAnnotations } from '../data/mpii-json';
import type { PoseAnnotation } from '../data/pose-annotation';
import type { SimccBatch } from '../data/pose-batch';
import { PoseDataset } from '../data/pose-dataset';
import type { Skeleton } from '../data/skeletons';
import { COCO_SKELETON, MPII_SKELETON } from '../data/skeletons';
import { buildPoseModel } from '../models/build-model';
import { hrnetSmall } from '../models/hrnet';
import type { SimccOutput } from '../models/simcc-head';
import type { SimccPoseModel } from '../models/simcc-model';
import { simccBinCounts } from '../targets/simcc-labels';
import { simccTargetEncoder } from '../targets/target-encoders';
import type { Size } from '../transforms/affine';
import { SimccPoseTask } from './simcc-pose-task';

const root = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');
const train = loadMpiiAnnotations(path.join(root, 'annot/train.json'));
const inputSize = { width: 64, height: 64 };
const TRAIN: ForwardMode = { training: true, updateStatistics: true };

/** A stand-in SimCC model whose logits the test sets (no variables). */
class ScriptedSimccModel implements SimccPoseModel {
  readonly head = 'simcc' as const;
  readonly trainableVariables = [];
  readonly stateVariables = [];
  readonly bins: { x: number; y: number };
  constructor(
    readonly respond: (images: tf.Tensor4D) => SimccOutput,
    readonly numJoints = 16,
    readonly inputSize: Size = { width: 64, height: 64 },
    readonly splitRatio = 2,
  ) {
    this.bins = simccBinCounts(inputSize, splitRatio);
  }
  forward(images: tf.Tensor4D): SimccOutput {
    return this.respond(images);
  }
  parameterCount(): number {
    return 0;
  }
  dispose(): void {}
}

async function simccDataset(people: PoseAnnotation[], skeleton: Skeleton, size: Size) {
  const targets = simccTargetEncoder({ inputSize: size, splitRatio: 2, sigma: 2 }, skeleton.jointWeights);
  return PoseDataset.create(people, { skeleton, inputSize: size, imageRoot: path.join(root, 'images'), targets });
}

/** The dataset, with a hook that sees each batch before the task does (to script the oracle). */
function replaying(dataset: PoseDataset<{ simccX: tf.Tensor3D; simccY: tf.Tensor3D }>, onBatch: (batch: SimccBatch) => void) {
  return {
    size: dataset.size,
    async *batches(ids: Int32Array, batchSize: number) {
      for await (const batch of dataset.batches(ids, batchSize)) {
        onBatch(batch);
        yield batch as SimccBatch;
      }
    },
  };
}

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
});

describe('SimccPoseTask', () => {
  it('gives one KL value per sample, differentiable on the backend, selects subsets, without leaking tensors', async () => {
    const dataset = await simccDataset(train, MPII_SKELETON, inputSize);
    const model = buildPoseModel({ ...hrnetSmall(16), head: 'simcc' }, new Rng(0));
    const task = new SimccPoseTask({ model, skeleton: MPII_SKELETON });
    const before = tf.memory().numTensors;
    for await (const batch of dataset.batches(Int32Array.of(0, 1, 2, 3), 4)) {
      expect(batch.simccX.shape).toEqual([4, 16, 128]);
      expect(batch.simccY.shape).toEqual([4, 16, 128]);
      const loss = task.perSampleLoss(batch, TRAIN);
      expect(loss.shape).toEqual([4]);
      expect(Array.from(loss.dataSync()).every((v) => v > 0 && Number.isFinite(v))).toBe(true);
      loss.dispose();
      const { value, grads } = tf.variableGrads(() => tf.mean(task.perSampleLoss(batch, TRAIN)) as tf.Scalar, model.trainableVariables as tf.Variable[]);
      expect(Object.keys(grads)).toHaveLength(model.trainableVariables.length);
      tf.dispose([value, ...Object.values(grads)]);

      const subset = task.selectSamples(batch, Int32Array.of(3, 1));
      expect(Array.from(subset.ids)).toEqual([3, 1]);
      expect(subset.simccX.shape).toEqual([2, 16, 128]);
      expect(Array.from(subset.simccY.dataSync())).toEqual([...Array.from(batch.simccY.dataSync().slice(3 * 2048, 4 * 2048)), ...Array.from(batch.simccY.dataSync().slice(2048, 2 * 2048))]);
      expect(Array.from(subset.meta.centers)).toEqual([...Array.from(batch.meta.centers.slice(6, 8)), ...Array.from(batch.meta.centers.slice(2, 4))]);
      task.disposeBatch(subset);
      task.disposeBatch(batch);
    }
    expect(tf.memory().numTensors).toBe(before);
    const metrics = await task.evaluate(dataset, { batchSize: 4 });
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['pckh', 'pckh_at_0.1', 'pckh_l_wrist', 'loss']));
    expect(metrics.loss).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    task.dispose();
    model.dispose();
  });

  it('scores a model that outputs the labels at PCKh 100', async () => {
    const dataset = await simccDataset(train, MPII_SKELETON, inputSize);
    let labels: SimccBatch | undefined;
    const oracle = new ScriptedSimccModel(() => ({ x: tf.clone(labels!.simccX), y: tf.clone(labels!.simccY) }));
    const task = new SimccPoseTask({ model: oracle, skeleton: MPII_SKELETON, flipTest: false });
    const metrics = await task.evaluate(replaying(dataset, (b) => (labels = b)), { batchSize: 3 });
    expect(metrics.pckh).toBe(100);
    expect(metrics['pckh_at_0.1']).toBe(100);
    task.dispose();
  });

  it('scores a model that outputs the labels at COCO AP ≈ 1 (ground-truth boxes, 17 joints, 256×192)', async () => {
    const people = loadCocoKeypoints(path.join(root, '../coco/person_keypoints_tiny.json'), { aspectRatio: 0.75 });
    const size = { width: 192, height: 256 };
    const dataset = await simccDataset(people, COCO_SKELETON, size);
    let labels: SimccBatch | undefined;
    const oracle = new ScriptedSimccModel(() => ({ x: tf.clone(labels!.simccX), y: tf.clone(labels!.simccY) }), 17, size);
    const task = new SimccPoseTask({ model: oracle, skeleton: COCO_SKELETON, flipTest: false });
    const metrics = await task.evaluate(replaying(dataset, (b) => (labels = b)), { batchSize: 4 });
    expect(metrics.ap).toBeCloseTo(1, 6);
    expect(metrics.ar).toBeCloseTo(1, 6);
    task.dispose();
  });

  it('flip test reverses x, swaps left/right joints, shifts x by k − 1 bins and averages the logits', () => {
    const x = tf.randomUniform([1, 16, 128], 0, 1, 'float32', 3) as tf.Tensor3D;
    const y = tf.randomUniform([1, 16, 128], 0, 1, 'float32', 4) as tf.Tensor3D;
    const images = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const firstPixel = images.dataSync()[0];
    const perm = Array.from({ length: 16 }, (_, j) => j);
    for (const [a, b] of MPII_SKELETON.flipPairs) [perm[a], perm[b]] = [b, a];
    // What an exactly mirror-equivariant model answers for the mirrored input: joint j at input x̂ goes to
    // perm[j] at 63 − x̂, i.e. x bin b ↦ 2·63 − b = 126 − b (the last bin, 127, has no source and stays 0).
    const mirroredX = tf.tidy(() => {
      const shifted = tf.concat([tf.slice(tf.reverse(x, 2), [0, 0, 1], [-1, -1, 127]), tf.zeros([1, 16, 1])], 2);
      return tf.gather(shifted, perm, 1) as tf.Tensor3D;
    });
    const model = new ScriptedSimccModel((input) =>
      input.dataSync()[0] === firstPixel ? { x: tf.clone(x), y: tf.clone(y) } : { x: tf.clone(mirroredX), y: tf.gather(y, perm, 1) },
    );
    const task = new SimccPoseTask({ model, skeleton: MPII_SKELETON });
    const averaged = task.predictSimcc(images);
    const plainX = x.arraySync()[0];
    const outX = averaged.x.arraySync()[0];
    const outY = averaged.y.arraySync()[0];
    const plainY = y.arraySync()[0];
    for (const [j, b] of [[0, 5], [9, 0], [12, 126]]) {
      expect(outX[j][b]).toBeCloseTo(plainX[j][b], 5);
      expect(outY[j][b]).toBeCloseTo(plainY[j][b], 5);
    }
    tf.dispose([x, y, images, mirroredX, averaged.x, averaged.y]);
    task.dispose();
  });

  it('rejects a model whose joint count does not match the skeleton', () => {
    const model = new ScriptedSimccModel(() => ({ x: tf.zeros([1, 17, 128]), y: tf.zeros([1, 17, 128]) }), 17);
    expect(() => new SimccPoseTask({ model, skeleton: MPII_SKELETON })).toThrow(/SimccPoseTask: the model predicts 17 joints, the mpii skeleton has 16/);
  });
});
