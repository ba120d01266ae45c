import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type Dataset, type EvaluateOptions, type ForwardMode, type Task, type TrainableModel } from '@ausam/core';
import type { PoseBatchMeta, PoseSamples } from '../data/pose-batch';
import { selectMeta } from '../data/pose-batch';
import type { Skeleton } from '../data/skeletons';
import { flipPermutation } from '../data/skeletons';
import { heatmapToImageCoordinates } from '../evaluation/decode-heatmaps';
import { computePoseMetrics } from '../evaluation/pose-metrics';
import type { Size } from '../transforms/affine';

/** Options of a top-down pose task with model `M`. */
export interface TopDownPoseTaskOptions<M> {
  readonly model: M;
  readonly skeleton: Skeleton;
  /** Average with the prediction for the mirrored input at evaluation (HRNet's FLIP_TEST; default true). */
  readonly flipTest?: boolean;
  /** PCKh threshold α (default 0.5). */
  readonly pckhThreshold?: number;
  readonly name?: string;
}

/** One evaluated batch, before back-projection. */
export interface BatchPrediction {
  /** [N·K·2] joint positions in the model's output frame ({@link TopDownPoseTask.outputFrame}). */
  readonly coords: Float32Array;
  /** [N·K] per-joint confidences. */
  readonly confidences: Float32Array;
  /** Sum over the batch of the per-sample loss of the plain (un-flipped) prediction. */
  readonly lossSum: number;
}

export const EVALUATION: ForwardMode = { training: false, updateStatistics: false };

/**
 * What every top-down pose head shares as a core {@link Task}: subset selection, batch disposal and the
 * evaluation loop (predict → back-project with the inverse crop transform → PCKh or OKS AP). A head
 * supplies its loss, its targets and its decoding.
 */
export abstract class TopDownPoseTask<B extends PoseSamples, M extends TrainableModel & { readonly numJoints: number }> implements Task<B> {
  readonly name: string;
  readonly model: M;
  /** `flipPerm[j]`: the joint j becomes under a horizontal flip. */
  protected readonly flipPerm: tf.Tensor1D;
  /** The pixel grid decoded coordinates live on (heatmap or input crop); back-projection maps it to the image. */
  protected abstract readonly outputFrame: Size;
  /** COCO: joints above this confidence score their person. */
  protected abstract readonly jointConfidenceThreshold: number;

  constructor(protected readonly options: TopDownPoseTaskOptions<M>) {
    this.model = options.model;
    this.name = options.name ?? `pose-${options.skeleton.kind}`;
    const k = options.skeleton.jointNames.length;
    if (options.model.numJoints !== k) {
      throw new RangeError(`${new.target.name}: the model predicts ${options.model.numJoints} joints, the ${options.skeleton.kind} skeleton has ${k}`);
    }
    this.flipPerm = tf.keep(tf.tensor1d(flipPermutation(options.skeleton), 'int32'));
  }

  abstract perSampleLoss(batch: B, mode: ForwardMode): tf.Tensor1D;

  /** The head's target tensors of `batch` at `positions` (new tensors; `selectRows` copies whole rows). */
  protected abstract selectTargets(batch: B, positions: Int32Array): Omit<B, keyof PoseSamples>;

  /** Releases the head's target tensors of `batch`. */
  protected abstract disposeTargets(batch: B): void;

  /** Flip-tested (if enabled) decoded joints, confidences and the plain prediction's loss of one batch. */
  protected abstract predictBatch(batch: B): Promise<BatchPrediction>;

  selectSamples(batch: B, positions: Int32Array): B {
    const selected = {
      targets: this.selectTargets(batch, positions),
      images: selectRows(batch.images, positions),
      targetWeights: selectRows(batch.targetWeights, positions),
    };
    const ids = Int32Array.from(positions, (p) => batch.ids[p]);
    return { ...selected.targets, ids, images: selected.images, targetWeights: selected.targetWeights, meta: selectMeta(batch.meta, positions) } as unknown as B;
  }

  disposeBatch(batch: B): void {
    batch.images.dispose();
    batch.targetWeights.dispose();
    this.disposeTargets(batch);
  }

  async evaluate(dataset: Dataset<B>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const count = Math.min(dataset.size, options.limit ?? dataset.size);
    const ids = Int32Array.from({ length: count }, (_, i) => i);
    const k = this.options.skeleton.jointNames.length;
    const predicted = new Float32Array(count * k * 2);
    const confidences = new Float32Array(count * k);
    const metas: PoseBatchMeta[] = [];
    let lossSum = 0;
    let offset = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 32)) {
      const prediction = await this.predictBatch(batch);
      predicted.set(heatmapToImageCoordinates(prediction.coords, batch.meta.centers, batch.meta.scales, this.outputFrame), offset * k * 2);
      confidences.set(prediction.confidences, offset * k);
      lossSum += prediction.lossSum;
      metas.push(batch.meta);
      offset += batch.ids.length;
      this.disposeBatch(batch);
    }
    const metrics = computePoseMetrics(this.options.skeleton, predicted, confidences, concatMeta(metas), {
      pckhThreshold: this.options.pckhThreshold,
      jointConfidenceThreshold: this.jointConfidenceThreshold,
    });
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
