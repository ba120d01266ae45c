import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, TrainableModel } from '@ausam/core';
import type { Size } from '../transforms/affine';

/**
 * Which output a model config asks {@link buildPoseModel} for: `heatmap` (default; HRNet / SimpleBaseline's
 * 1×1 conv to K heatmaps) or `simcc` (those K maps flattened and classified into W·k and H·k bins, Li et
 * al. 2022), with `splitRatio` k (default {@link DEFAULT_SIMCC_SPLIT_RATIO}).
 */
export type PoseHeadOptions = { readonly head?: 'heatmap' } | { readonly head: 'simcc'; readonly splitRatio?: number };

/** SimCC's splitting factor k in the paper's main results and in every SimCC config it ships. */
export const DEFAULT_SIMCC_SPLIT_RATIO = 2;

/** A top-down heatmap model: an image crop in, one heatmap per joint out. */
export interface PoseModel extends TrainableModel {
  /** Input crop size; the model expects [N, inputSize.height, inputSize.width, 3]. */
  readonly inputSize: Size;
  /** Output size, inputSize / 4 for HRNet and SimpleBaseline. */
  readonly heatmapSize: Size;
  readonly numJoints: number;
  /** [N, H, W, 3] normalised images → [N, H/4, W/4, K] heatmaps. */
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D;
  /** Number of trained scalars. */
  parameterCount(): number;
  dispose(): void;
}
