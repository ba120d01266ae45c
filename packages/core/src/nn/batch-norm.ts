import * as tf from '@tensorflow/tfjs-core';
import type { BatchStatisticsReducer, ForwardMode } from '../task/contracts';
import type { ParameterRegistry } from './parameter-registry';
import {
  type ChannelMoments,
  centeredGradientSums,
  channelNormalization,
  combinedMoments,
  gammaGradient,
  inputGradientTerms,
  momentPartials,
  sliceMoments,
} from './batch-norm-channels';

/**
 * Batch normalisation over NHWC channels (Ioffe & Szegedy 2015), PyTorch conventions:
 * running = (1 − momentum)·running + momentum·batch, running variance unbiased, eps 1e-5.
 * Running statistics move only when `mode.updateStatistics` — SAM's second pass must leave them be.
 *
 * Training mode normalises with the batch's biased variance: with m values per channel,
 * μ = Σx/m, x̄ = x − μ, σ² = Σx̄²/m, s = γ/√(σ² + eps), y = s·x̄ + β.
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;

  constructor(
    registry: ParameterRegistry,
    name: string,
    channels: number,
    private readonly momentum = 0.1,
    private readonly epsilon = 1e-5,
  ) {
    this.gamma = registry.weight(`${name}/gamma`, [channels], { kind: 'ones' });
    this.beta = registry.weight(`${name}/beta`, [channels], { kind: 'zeros' });
    this.runningMean = registry.buffer(`${name}/running_mean`, [channels], { kind: 'zeros' });
    this.runningVariance = registry.buffer(`${name}/running_variance`, [channels], { kind: 'ones' });
  }

  apply<T extends tf.Tensor>(x: T, mode: ForwardMode): T {
    if (!mode.training) {
      return tf.batchNorm(x, this.runningMean, this.runningVariance, this.beta, this.gamma, this.epsilon) as T;
    }
    const channels = x.shape[x.rank - 1];
    const localCount = x.size / channels;
    // Every rank is viewed as one row of `localCount` pixels, so that each per-channel affine map
    // below is a single 1×1 depthwise convolution (see perChannelAffine).
    const pixels: [number, number, number, number] = [1, 1, localCount, channels];
    const overPixels = [0, 1, 2];
    const replicas = mode.batchStatistics;
    // With replicas, the moments and the gradient's sums are the whole batch's, summed across
    // them (SyncBatchNorm); in one thread they are this batch's.
    // A closed-form gradient: autodiff through tf.moments + tf.batchNorm goes through Tile and
    // many broadcasts, which dominate a training step on the wasm backend. The per-channel
    // arithmetic is in batch-norm-channels.ts.
    const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as tf.GradSaveFunc;
      const x4 = tf.reshape(input, pixels) as tf.Tensor4D;
      // x̄ = x − μ is kept as this slice's x̄_r = x − μ_r plus the per-channel shift δ = μ_r − μ,
      // which folds into the affine maps' biases: y = s·x̄_r + (β + s·δ). In one thread μ_r = μ.
      const sliceMean = tf.mean(x4, overPixels).dataSync() as Float32Array;
      // Two passes (x̄ first, then Σx̄²) rather than E[x²] − μ², which cancels when |μ| ≫ σ.
      const centered = perChannelAffine(x4, new Float32Array(channels).fill(1), sliceMean.map((m) => -m));
      const sliceM2 = tf.sum(tf.square(centered), overPixels).dataSync() as Float32Array;
      const moments = replicas
        ? combinedMoments(replicas.sum(momentPartials(sliceMean, sliceM2, localCount)), sliceMean)
        : sliceMoments(sliceMean, sliceM2, localCount);
      const normalization = channelNormalization(moments, gamma.dataSync() as Float32Array, beta.dataSync() as Float32Array, this.epsilon);
      if (mode.updateStatistics) this.updateRunningStatistics(moments);
      const scale = tf.tensor1d(normalization.scale);
      save([centered, scale]);
      return {
        value: tf.reshape(perChannelAffine(centered, scale, normalization.bias), input.shape),
        // dβ = Σ dy; dγ = Σ dy·x̄ / σ; dx = s·dy + b·x̄ + c (inputGradientTerms). With replicas, dβ
        // and dγ stay this slice's (the replicas' gradients are added up afterwards), while dx
        // needs the whole batch's Σ dy and Σ dy·x̄ (see batchGradientSums).
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sliceCentered, s] = saved;
          const dy4 = tf.reshape(dy, pixels) as tf.Tensor4D;
          const dBeta = tf.sum(dy4, overPixels);
          const dBetaValues = dBeta.dataSync() as Float32Array;
          const dySliceCentered = tf.sum(tf.mul(dy4, sliceCentered), overPixels).dataSync() as Float32Array;
          const dyCentered = centeredGradientSums(dySliceCentered, dBetaValues, moments.shift);
          const [batchDBeta, batchDyCentered] = replicas ? batchGradientSums(replicas, dBetaValues, dyCentered) : [dBetaValues, dyCentered];
          const { centeredFactor, offset } = inputGradientTerms(normalization, moments, batchDBeta, batchDyCentered);
          const dx = tf.add(perChannelAffine(dy4, s), perChannelAffine(sliceCentered as tf.Tensor4D, centeredFactor, offset));
          return [tf.reshape(dx, dy.shape), tf.tensor1d(gammaGradient(dyCentered, normalization.inverseStd)), dBeta];
        },
      };
    });
    return normalize(x, this.gamma, this.beta) as T;
  }

  private updateRunningStatistics({ mean, variance, count }: ChannelMoments): void {
    const unbiased = count > 1 ? count / (count - 1) : 1;
    const m = this.momentum;
    const runningMean = (this.runningMean.dataSync() as Float32Array).slice();
    const runningVariance = (this.runningVariance.dataSync() as Float32Array).slice();
    for (let c = 0; c < runningMean.length; c++) {
      runningMean[c] = (1 - m) * runningMean[c] + m * mean[c];
      runningVariance[c] = (1 - m) * runningVariance[c] + m * unbiased * variance[c];
    }
    const newMean = tf.tensor1d(runningMean);
    const newVariance = tf.tensor1d(runningVariance);
    this.runningMean.assign(newMean);
    this.runningVariance.assign(newVariance);
    newMean.dispose();
    newVariance.dispose();
  }
}

/**
 * `x·scale + shift` per channel (the last axis) as one 1×1 depthwise convolution with a bias. On
 * wasm that is one pass of XNNPACK's multiply-add kernel, where `tf.add(tf.mul(x, scale), shift)`
 * is two passes of a slower broadcasting loop. (wasm caches the XNNPACK operator, with the packed
 * filter and bias, by their buffer ids and drops it when either is disposed; tensors are immutable,
 * so a cached operator never holds stale values.)
 */
function perChannelAffine(x: tf.Tensor4D, scale: tf.Tensor | Float32Array, shift?: Float32Array): tf.Tensor4D {
  const channels = x.shape[3];
  const filter = scale instanceof Float32Array ? tf.tensor4d(scale, [1, 1, channels, 1]) : (tf.reshape(scale, [1, 1, channels, 1]) as tf.Tensor4D);
  return tf.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'valid', bias: shift && tf.tensor1d(shift) });
}

/**
 * The whole batch's Σ dy and Σ dy·x̄ in this replica's gradient scale. Each replica back-propagates
 * its slice's mean loss L_r = L·b/b_r, so its dy is the batch loss's scaled by 1/share; the batch's
 * sums are Σ_r share_r·(Σ dy)_r, brought back to this replica's scale by dividing by its share.
 */
function batchGradientSums(replicas: BatchStatisticsReducer, dBeta: Float32Array, dyCentered: Float64Array): [Float64Array, Float64Array] {
  const share = replicas.lossShare;
  const channels = dBeta.length;
  const partial = new Float64Array(2 * channels);
  for (let c = 0; c < channels; c++) {
    partial[c] = dBeta[c] * share;
    partial[channels + c] = dyCentered[c] * share;
  }
  const sums = replicas.sum(partial);
  for (let j = 0; j < sums.length; j++) sums[j] /= share;
  return [sums.subarray(0, channels), sums.subarray(channels)];
}
