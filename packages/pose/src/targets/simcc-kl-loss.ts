import * as tf from '@tensorflow/tfjs-core';
import type { SimccOutput } from '../models/simcc-head';

/** The smallest label value whose logarithm is taken; labels below it contribute t·log t ≈ 0. */
const LABEL_FLOOR = 1e-30;

/**
 * SimCC's KLDiscretLoss (Li et al. 2022, §3; the authors' `KLDiscretLoss`, mmpose's with β) kept per
 * sample: with p = softmax(β·z) over each axis's bins and KL(b) = t(b)·(log t(b) − log p(b)),
 * ℓ_i = (1/K) Σ_j w_ij · [ mean_b KL_x,ij(b) + mean_b KL_y,ij(b) ].
 * Its batch mean is the authors' loss (mean over bins, over the batch, summed over the two axes,
 * divided by K); mmpose's sums over the batch instead of averaging.
 * @param predicted logits [N, K, Bx] and [N, K, By]
 * @param targetX [N, K, Bx]; targetY [N, K, By]; targetWeights [N, K]
 * @param beta softmax temperature β (1 in the SimCC configs)
 * @returns [N]
 */
export function simccKlPerSample(
  predicted: SimccOutput,
  targetX: tf.Tensor3D,
  targetY: tf.Tensor3D,
  targetWeights: tf.Tensor2D,
  beta = 1,
): tf.Tensor1D {
  return tf.tidy(() => {
    const axisLoss = (logits: tf.Tensor3D, target: tf.Tensor3D) => {
      const logProbabilities = tf.logSoftmax(beta === 1 ? logits : tf.mul(logits, beta));
      const entropyTerm = tf.mul(target, tf.log(tf.maximum(target, LABEL_FLOOR)));
      return tf.mean(tf.sub(entropyTerm, tf.mul(target, logProbabilities)), 2);
    };
    const perJoint = tf.add(axisLoss(predicted.x, targetX), axisLoss(predicted.y, targetY));
    return tf.mean(tf.mul(perJoint, targetWeights), 1) as tf.Tensor1D;
  });
}
