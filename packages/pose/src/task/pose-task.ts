import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type ForwardMode } from '@ausam/core';
import type { PoseBatch } from '../data/pose-batch';
import { decodeHeatmaps } from '../evaluation/decode-heatmaps';
import { JOINT_CONFIDENCE_THRESHOLD } from '../evaluation/pose-metrics';
import type { PoseModel } from '../models/pose-model';
import { jointsMsePerSample } from '../targets/joints-mse';
import type { HeatmapTargets } from '../targets/target-encoders';
import type { Size } from '../transforms/affine';
import { EVALUATION, TopDownPoseTask } from './top-down-pose-task';
import type { BatchPrediction, TopDownPoseTaskOptions } from './top-down-pose-task';

export type PoseTaskOptions = TopDownPoseTaskOptions<PoseModel>;

/**
 * Top-down heatmap pose estimation as a core {@link Task}: per-sample JointsMSE loss (HRNet), metrics
 * PCKh (MPII) or OKS AP (COCO) on predictions back-projected to the original images.
 */
export class PoseTask extends TopDownPoseTask<PoseBatch, PoseModel> {
  protected readonly jointConfidenceThreshold = JOINT_CONFIDENCE_THRESHOLD;

  protected get outputFrame(): Size {
    return this.model.heatmapSize;
  }

  perSampleLoss(batch: PoseBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => jointsMsePerSample(this.model.forward(batch.images, mode), batch.heatmaps, batch.targetWeights));
  }

  protected selectTargets(batch: PoseBatch, positions: Int32Array): HeatmapTargets {
    return { heatmaps: selectRows(batch.heatmaps, positions) };
  }

  protected disposeTargets(batch: PoseBatch): void {
    batch.heatmaps.dispose();
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

  protected async predictBatch(batch: PoseBatch): Promise<BatchPrediction> {
    // The loss is that of the plain (un-flipped) prediction, as a training step would see it.
    const [heatmaps, loss] = tf.tidy(() => {
      const plain = this.model.forward(batch.images, EVALUATION);
      const lossSum = tf.sum(jointsMsePerSample(plain, batch.heatmaps, batch.targetWeights));
      return [this.withFlipTest(batch.images, plain, this.options.flipTest ?? true), lossSum];
    });
    const lossSum = (await loss.data())[0];
    const values = (await heatmaps.data()) as Float32Array;
    tf.dispose([loss, heatmaps]);
    const decoded = decodeHeatmaps(values, batch.ids.length, this.model.heatmapSize, this.model.numJoints);
    return { coords: decoded.coords, confidences: decoded.maxValues, lossSum };
  }
}
