import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, EvaluateOptions, ForwardMode, Task } from '@ausam/core';
import type { PoseBatch, PoseBatchMeta } from '../data/pose-batch';
import { selectMeta } from '../data/pose-batch';
import type { Skeleton } from '../data/skeletons';
import { flipPermutation } from '../data/skeletons';
import { decodeHeatmaps, heatmapToImageCoordinates } from '../evaluation/decode-heatmaps';
import { computePoseMetrics } from '../evaluation/pose-metrics';
import type { PoseModel } from '../models/pose-model';
import { jointsMsePerSample } from '../targets/joints-mse';

export interface PoseTaskOptions {
  readonly model: PoseModel;
  readonly skeleton: Skeleton;
  /** Average with the heatmaps of the mirrored input at evaluation (HRNet's FLIP_TEST; default true). */
  readonly flipTest?: boolean;
  /** PCKh threshold α (default 0.5). */
  readonly pckhThreshold?: number;
  readonly name?: string;
}

const EVALUATION: ForwardMode = { training: false, updateStatistics: false };

/**
 * Top-down heatmap pose estimation as a core {@link Task}: per-sample JointsMSE loss (HRNet), metrics
 * PCKh (MPII) or OKS AP (COCO) on predictions back-projected to the original images.
 */
export class PoseTask implements Task<PoseBatch> {
  readonly name: string;
  readonly model: PoseModel;
  private readonly flipPerm: tf.Tensor1D;

  constructor(private readonly options: PoseTaskOptions) {
    this.model = options.model;
    this.name = options.name ?? `pose-${options.skeleton.kind}`;
    const k = options.skeleton.jointNames.length;
    if (options.model.numJoints !== k) {
      throw new RangeError(`PoseTask: the model predicts ${options.model.numJoints} joints, the ${options.skeleton.kind} skeleton has ${k}`);
    }
    this.flipPerm = tf.keep(tf.tensor1d(flipPermutation(options.skeleton), 'int32'));
  }

  perSampleLoss(batch: PoseBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => jointsMsePerSample(this.model.forward(batch.images, mode), batch.heatmaps, batch.targetWeights));
  }

  selectSamples(batch: PoseBatch, positions: Int32Array): PoseBatch {
    const [images, heatmaps, targetWeights] = tf.tidy(() => {
      const index = tf.tensor1d(positions, 'int32');
      return [tf.gather(batch.images, index), tf.gather(batch.heatmaps, index), tf.gather(batch.targetWeights, index)] as const;
    });
    return { ids: Int32Array.from(positions, (p) => batch.ids[p]), images, heatmaps, targetWeights, meta: selectMeta(batch.meta, positions) };
  }

  disposeBatch(batch: PoseBatch): void {
    batch.images.dispose();
    batch.heatmaps.dispose();
    batch.targetWeights.dispose();
  }

  /**
   * Evaluation-mode heatmaps. With flip test (HRNet, Sun et al. 2019 §4): mirror the input, predict,
   * mirror the heatmaps back, swap left/right channels, shift one pixel right (the mirrored heatmap is
   * misaligned by ¾ px at stride 4; HRNet's SHIFT_HEATMAP), and average with the plain prediction.
   */
  predictHeatmaps(images: tf.Tensor4D, flipTest = this.options.flipTest ?? true): tf.Tensor4D {
    return tf.tidy(() => this.withFlipTest(images, this.model.forward(images, EVALUATION), flipTest));
  }

  /** Averages `plain` (the model's output for `images`) with the flip-test prediction. */
  private withFlipTest(images: tf.Tensor4D, plain: tf.Tensor4D, flipTest: boolean): tf.Tensor4D {
    if (!flipTest) return plain;
    const mirrored = tf.reverse(this.model.forward(tf.reverse(images, 2), EVALUATION), 2);
    const swapped = tf.gather(mirrored, this.flipPerm, 3);
    const [, , width] = swapped.shape;
    const shifted = tf.concat([tf.slice(swapped, [0, 0, 0, 0], [-1, -1, 1, -1]), tf.slice(swapped, [0, 0, 0, 0], [-1, -1, width - 1, -1])], 2);
    return tf.div(tf.add(plain, shifted), 2);
  }

  async evaluate(dataset: Dataset<PoseBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const count = Math.min(dataset.size, options.limit ?? dataset.size);
    const ids = Int32Array.from({ length: count }, (_, i) => i);
    const k = this.options.skeleton.jointNames.length;
    const predicted = new Float32Array(count * k * 2);
    const confidences = new Float32Array(count * k);
    const metas: PoseBatchMeta[] = [];
    let lossSum = 0;
    let offset = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 32)) {
      const n = batch.ids.length;
      // The loss is that of the plain (un-flipped) prediction, as a training step would see it.
      const [heatmaps, loss] = tf.tidy(() => {
        const plain = this.model.forward(batch.images, EVALUATION);
        const lossSum = tf.sum(jointsMsePerSample(plain, batch.heatmaps, batch.targetWeights));
        return [this.withFlipTest(batch.images, plain, this.options.flipTest ?? true), lossSum];
      });
      lossSum += (await loss.data())[0];
      const values = (await heatmaps.data()) as Float32Array;
      const decoded = decodeHeatmaps(values, n, this.model.heatmapSize, k);
      predicted.set(heatmapToImageCoordinates(decoded.coords, batch.meta.centers, batch.meta.scales, this.model.heatmapSize), offset * k * 2);
      confidences.set(decoded.maxValues, offset * k);
      metas.push(batch.meta);
      offset += n;
      loss.dispose();
      heatmaps.dispose();
      this.disposeBatch(batch);
    }
    const meta = concatMeta(metas);
    const metrics = computePoseMetrics(this.options.skeleton, predicted, confidences, meta, { pckhThreshold: this.options.pckhThreshold });
    return { ...metrics, loss: count > 0 ? lossSum / count : NaN };
  }

  /** Releases the task's own tensors (not the model's). */
  dispose(): void {
    this.flipPerm.dispose();
  }
}

function concatMeta(metas: readonly PoseBatchMeta[]): PoseBatchMeta {
  const join = <T extends Float32Array | Float64Array>(pick: (m: PoseBatchMeta) => T, make: (n: number) => T): T => {
    const parts = metas.map(pick);
    const out = make(parts.reduce((sum, p) => sum + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const f32 = (n: number) => new Float32Array(n);
  return {
    centers: join((m) => m.centers, f32),
    scales: join((m) => m.scales, f32),
    joints: join((m) => m.joints, f32),
    visibility: join((m) => m.visibility, f32),
    headSizes: join((m) => m.headSizes, f32),
    areas: join((m) => m.areas, f32),
    imageIds: join((m) => m.imageIds, (n) => new Float64Array(n)),
  };
}
