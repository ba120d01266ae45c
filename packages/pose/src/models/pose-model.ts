import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, TrainableModel } from '@ausam/core';
import type { Size } from '../transforms/affine';

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
