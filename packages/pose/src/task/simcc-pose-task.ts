import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type ForwardMode } from '@ausam/core';
import type { SimccBatch } from '../data/pose-batch';
import { decodeSimcc } from '../evaluation/decode-simcc';
import { SIMCC_JOINT_CONFIDENCE_THRESHOLD } from '../evaluation/pose-metrics';
import type { SimccOutput } from '../models/simcc-head';
import type { SimccPoseModel } from '../models/simcc-model';
import { simccKlPerSample } from '../targets/simcc-kl-loss';
import type { SimccTargets } from '../targets/target-encoders';
import type { Size } from '../transforms/affine';
import { EVALUATION, TopDownPoseTask } from './top-down-pose-task';
import type { BatchPrediction, TopDownPoseTaskOptions } from './top-down-pose-task';

export interface SimccPoseTaskOptions extends TopDownPoseTaskOptions<SimccPoseModel> {
  /** Softmax temperature β of the loss (default 1, as in the SimCC configs). */
  readonly beta?: number;
}

/**
 * Top-down SimCC pose estimation (Li et al. 2022) as a core {@link Task}: per-sample KL loss against
 * the 1-D Gaussian labels ({@link simccKlPerSample}), argmax / k decoding in input-crop pixels, then the
 * same back-projection, PCKh and OKS AP as the heatmap head.
 */
export class SimccPoseTask extends TopDownPoseTask<SimccBatch, SimccPoseModel> {
  protected readonly jointConfidenceThreshold = SIMCC_JOINT_CONFIDENCE_THRESHOLD;
  private readonly beta: number;

  constructor(options: SimccPoseTaskOptions) {
    super(options);
    this.beta = options.beta ?? 1;
  }

  protected get outputFrame(): Size {
    return this.model.inputSize;
  }

  perSampleLoss(batch: SimccBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => simccKlPerSample(this.model.forward(batch.images, mode), batch.simccX, batch.simccY, batch.targetWeights, this.beta));
  }

  protected selectTargets(batch: SimccBatch, positions: Int32Array): SimccTargets {
    return { simccX: selectRows(batch.simccX, positions), simccY: selectRows(batch.simccY, positions) };
  }

  protected disposeTargets(batch: SimccBatch): void {
    batch.simccX.dispose();
    batch.simccY.dispose();
  }

  /**
   * Evaluation-mode logits. With flip test (the authors' `validate_sa_simdr`): mirror the input, predict,
   * reverse the x bins, swap left/right joints, shift x by k − 1 bins toward 0 and average the logits with
   * the plain prediction. The shift makes the mirror exact: a joint at input x is at bin k·x; mirrored
   * it is at x' = W − 1 − x, bin k·x', which the reversal of W·k bins puts at k·x + k − 1.
   */
  predictSimcc(images: tf.Tensor4D, flipTest = this.options.flipTest ?? true): SimccOutput {
    return tf.tidy(() => this.withFlipTest(images, this.model.forward(images, EVALUATION), flipTest));
  }

  private withFlipTest(images: tf.Tensor4D, plain: SimccOutput, flipTest: boolean): SimccOutput {
    if (!flipTest) return plain;
    const mirrored = this.model.forward(tf.reverse(images, 2), EVALUATION);
    const reversedX = tf.gather(tf.reverse(mirrored.x, 2), this.flipPerm, 1);
    const shift = Math.round(this.model.splitRatio - 1);
    const bins = this.model.bins.x;
    const alignedX =
      shift > 0 ? tf.concat([tf.slice(reversedX, [0, 0, shift], [-1, -1, bins - shift]), tf.slice(reversedX, [0, 0, bins - shift], [-1, -1, shift])], 2) : reversedX;
    const swappedY = tf.gather(mirrored.y, this.flipPerm, 1);
    return { x: tf.div(tf.add(plain.x, alignedX), 2), y: tf.div(tf.add(plain.y, swappedY), 2) };
  }

  protected async predictBatch(batch: SimccBatch): Promise<BatchPrediction> {
    // The loss is that of the plain (un-flipped) prediction, as a training step would see it.
    const [probabilitiesX, probabilitiesY, loss] = tf.tidy(() => {
      const plain = this.model.forward(batch.images, EVALUATION);
      const lossSum = tf.sum(simccKlPerSample(plain, batch.simccX, batch.simccY, batch.targetWeights, this.beta));
      const averaged = this.withFlipTest(batch.images, plain, this.options.flipTest ?? true);
      return [tf.softmax(averaged.x), tf.softmax(averaged.y), lossSum];
    });
    const lossSum = (await loss.data())[0];
    const x = (await probabilitiesX.data()) as Float32Array;
    const y = (await probabilitiesY.data()) as Float32Array;
    tf.dispose([loss, probabilitiesX, probabilitiesY]);
    const decoded = decodeSimcc(x, y, batch.ids.length, this.model.numJoints, this.model.bins, this.model.splitRatio);
    return { coords: decoded.coords, confidences: decoded.maxValues, lossSum };
  }
}
