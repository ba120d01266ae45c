import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '@ausam/core';
import type { HeatmapTargets, SimccTargets } from '../targets/target-encoders';
import type { PoseAnnotation } from './pose-annotation';

/** What evaluation needs besides the tensors, one entry per sample (plain arrays, no tensors). */
export interface PoseBatchMeta {
  /** [N·2] annotation box centers (un-augmented), image pixels. */
  readonly centers: Float32Array;
  /** [N·2] annotation box scales (box size / 200), un-augmented. */
  readonly scales: Float32Array;
  /** [N·K·2] ground-truth joints in original image pixels. */
  readonly joints: Float32Array;
  /** [N·K] 1 = annotated. */
  readonly visibility: Float32Array;
  /** [N] PCKh head sizes in pixels (NaN when the annotation has none). */
  readonly headSizes: Float32Array;
  /** [N] COCO segment areas (NaN when none). */
  readonly areas: Float32Array;
  /** [N] COCO image ids (NaN when none). */
  readonly imageIds: Float64Array;
}

/** What every batch of top-down pose samples holds besides its head's targets (NHWC tensors). */
export interface PoseSamples extends Batch {
  /** [N, H, W, 3] normalised crops. */
  readonly images: tf.Tensor4D;
  /** [N, K] per-joint loss weights (0 for unannotated or out-of-crop joints). */
  readonly targetWeights: tf.Tensor2D;
  readonly meta: PoseBatchMeta;
}

/** A batch of samples with the targets `T` of one head. */
export type PoseBatchOf<T extends object> = PoseSamples & T;

/** A batch for the heatmap head: images, [N, H/4, W/4, K] Gaussian `heatmaps`, target weights. */
export interface PoseBatch extends PoseSamples, HeatmapTargets {}

/** A batch for the SimCC head: images, [N, K, W·k] `simccX` and [N, K, H·k] `simccY` labels, target weights. */
export interface SimccBatch extends PoseSamples, SimccTargets {}

/** The meta entries at `positions`. */
export function selectMeta(meta: PoseBatchMeta, positions: Int32Array): PoseBatchMeta {
  const n = meta.headSizes.length;
  const k = meta.visibility.length / n;
  const pick = <T extends Float32Array | Float64Array>(source: T, width: number, make: (length: number) => T): T => {
    const out = make(positions.length * width);
    positions.forEach((p, i) => out.set(source.subarray(p * width, (p + 1) * width), i * width));
    return out;
  };
  const f32 = (length: number) => new Float32Array(length);
  return {
    centers: pick(meta.centers, 2, f32),
    scales: pick(meta.scales, 2, f32),
    joints: pick(meta.joints, 2 * k, f32),
    visibility: pick(meta.visibility, k, f32),
    headSizes: pick(meta.headSizes, 1, f32),
    areas: pick(meta.areas, 1, f32),
    imageIds: pick(meta.imageIds, 1, (length) => new Float64Array(length)),
  };
}

/** Evaluation meta of a list of annotations (un-augmented boxes and ground truth). */
export function metaOf(annotations: readonly PoseAnnotation[]): PoseBatchMeta {
  const n = annotations.length;
  const k = n > 0 ? annotations[0].visibility.length : 0;
  const meta = {
    centers: new Float32Array(2 * n),
    scales: new Float32Array(2 * n),
    joints: new Float32Array(2 * k * n),
    visibility: new Float32Array(k * n),
    headSizes: new Float32Array(n),
    areas: new Float32Array(n),
    imageIds: new Float64Array(n),
  };
  annotations.forEach((a, i) => {
    meta.centers.set(a.center, 2 * i);
    meta.scales.set(a.scale, 2 * i);
    meta.joints.set(a.joints, 2 * k * i);
    meta.visibility.set(a.visibility, k * i);
    meta.headSizes[i] = a.headSize ?? NaN;
    meta.areas[i] = a.area ?? NaN;
    meta.imageIds[i] = a.imageId ?? NaN;
  });
  return meta;
}
