import * as tf from '@tensorflow/tfjs-core';

/**
 * HRNet's JointsMSELoss (Sun et al. 2019) kept per sample:
 * ℓ_i = (1/K) Σ_j 0.5 · mean_{u,v} (w_ij·P_ij(u,v) − w_ij·T_ij(u,v))²,
 * i.e. the mean over joints and pixels of 0.5·w²·(P − T)², which is 0.5·w·(P − T)² for HRNet's 0/1
 * target weights. Its batch mean equals HRNet's batch loss.
 * @param predicted [N, H, W, K] heatmaps
 * @param target [N, H, W, K]
 * @param targetWeights [N, K]
 * @returns [N]
 */
export function jointsMsePerSample(predicted: tf.Tensor4D, target: tf.Tensor4D, targetWeights: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, , , k] = predicted.shape;
    const weights = tf.reshape(targetWeights, [n, 1, 1, k]);
    const difference = tf.mul(tf.sub(predicted, target), weights);
    return tf.mul(tf.mean(tf.square(difference), [1, 2, 3]), 0.5) as tf.Tensor1D;
  });
}
