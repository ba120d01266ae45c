import * as tf from '@tensorflow/tfjs-core';
import type { HeatmapEncoding } from './gaussian-heatmap';
import { encodeGaussianHeatmaps } from './gaussian-heatmap';
import type { SimccEncoding } from './simcc-labels';
import { encodeSimccLabels, simccBinCounts } from './simcc-labels';

/** One augmented sample's joints, in input-crop pixels. */
export interface JointsInCrop {
  /** [K·2] */
  readonly jointsInCrop: Float32Array;
  /** [K] 1 = annotated (after flip relabelling). */
  readonly visibility: Float32Array;
}

/** Turns a batch's joints into the training targets of one head (heatmaps or SimCC labels). */
export interface PoseTargetEncoder<T extends object> {
  /** The batch's target tensors; writes sample i's joint weights into `weights[i·K + j]`. */
  encodeBatch(samples: readonly JointsInCrop[], jointCount: number, weights: Float32Array): T;
}

/** Targets of the heatmap head. */
export interface HeatmapTargets {
  /** [N, H/4, W/4, K] Gaussian heatmaps. */
  readonly heatmaps: tf.Tensor4D;
}

/** Targets of the SimCC head. */
export interface SimccTargets {
  /** [N, K, W·k] Gaussian labels over the horizontal bins. */
  readonly simccX: tf.Tensor3D;
  /** [N, K, H·k] Gaussian labels over the vertical bins. */
  readonly simccY: tf.Tensor3D;
}

/** HRNet's Gaussian heatmap targets ({@link encodeGaussianHeatmaps}). */
export function heatmapTargetEncoder(encoding: HeatmapEncoding, jointWeights?: readonly number[]): PoseTargetEncoder<HeatmapTargets> {
  const { width: W, height: H } = encoding.heatmapSize;
  return {
    encodeBatch(samples, k, weights) {
      const perSample = W * H * k;
      const heatmaps = new Float32Array(samples.length * perSample);
      samples.forEach((s, i) => encodeGaussianHeatmaps(s.jointsInCrop, s.visibility, encoding, heatmaps, i * perSample, weights, i * k, jointWeights));
      return { heatmaps: tf.tensor4d(heatmaps, [samples.length, H, W, k]) };
    },
  };
}

/** SimCC's 1-D Gaussian labels ({@link encodeSimccLabels}). */
export function simccTargetEncoder(encoding: SimccEncoding, jointWeights?: readonly number[]): PoseTargetEncoder<SimccTargets> {
  const bins = simccBinCounts(encoding.inputSize, encoding.splitRatio);
  return {
    encodeBatch(samples, k, weights) {
      const n = samples.length;
      const x = new Float32Array(n * k * bins.x);
      const y = new Float32Array(n * k * bins.y);
      samples.forEach((s, i) =>
        encodeSimccLabels(s.jointsInCrop, s.visibility, encoding, { x, xOffset: i * k * bins.x, y, yOffset: i * k * bins.y, weights, weightOffset: i * k }, jointWeights),
      );
      return { simccX: tf.tensor3d(x, [n, k, bins.x]), simccY: tf.tensor3d(y, [n, k, bins.y]) };
    },
  };
}
