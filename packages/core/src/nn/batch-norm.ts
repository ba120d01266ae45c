import * as tf from '@tensorflow/tfjs-core';
import type { BatchStatisticsReducer, ForwardMode } from '../task/contracts';
import type { ParameterRegistry } from './parameter-registry';

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
    // Every rank is viewed as one row of `count` pixels, so that each per-channel affine map
    // below is a single 1×1 depthwise convolution (see perChannelAffine).
    const pixels: [number, number, number, number] = [1, 1, localCount, channels];
    const overPixels = [0, 1, 2];
    const replicas = mode.batchStatistics;
    // With replicas, m counts the whole batch's values per channel and every Σ below is summed
    // across them (SyncBatchNorm); in one thread they are this batch's.
    let count = localCount;
    // A closed-form gradient: autodiff through tf.moments + tf.batchNorm goes through Tile and
    // many broadcasts, which dominate a training step on the wasm backend.
    const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as tf.GradSaveFunc;
      const x4 = tf.reshape(input, pixels) as tf.Tensor4D;
      // x̄ = x − μ is kept as this slice's x̄_r = x − μ_r plus the per-channel shift δ = μ_r − μ,
      // which folds into the affine maps' biases: y = s·x̄_r + (β + s·δ). In one thread μ_r = μ.
      const sliceMean = tf.mean(x4, overPixels) as tf.Tensor1D;
      // Two passes (x̄ first, then Σx̄²) rather than E[x²] − μ², which cancels when |μ| ≫ σ.
      const centered = perChannelAffine(x4, tf.onesLike(sliceMean), tf.neg(sliceMean));
      let mean = sliceMean;
      let variance: tf.Tensor1D;
      let shift: tf.Tensor1D | undefined;
      if (replicas) {
        const batch = batchMoments(replicas, sliceMean, tf.sum(tf.square(centered), overPixels), localCount);
        [count, mean, variance, shift] = [batch.count, batch.mean, batch.variance, batch.shift];
      } else {
        variance = tf.mean(tf.square(centered), overPixels);
      }
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon));
      const scale = tf.mul(gamma, inverseStd);
      if (mode.updateStatistics) this.updateRunningStatistics(mean, variance, count);
      const bias = shift ? tf.add(beta, tf.mul(scale, shift)) : beta;
      save(shift ? [centered, inverseStd, scale, shift] : [centered, inverseStd, scale]);
      return {
        value: tf.reshape(perChannelAffine(centered, scale, bias), input.shape),
        // dβ = Σ dy; dγ = Σ dy·x̂ = Σ dy·x̄ / σ; dx = s·(dy − dβ/m − x̂·dγ/m) = s·dy + b·x̄ + c with
        // per-channel b = −s·dγ/(σ·m), c = −s·dβ/m. Sums are over all but the channel axis. With
        // replicas, dβ and dγ stay this slice's (the replicas' gradients are added up afterwards),
        // while dx needs the whole batch's Σ dy and Σ dy·x̄ (see batchGradientSums); x̄ = x̄_r + δ
        // gives Σ dy·x̄ = Σ dy·x̄_r + δ·Σ dy and b·x̄ + c = b·x̄_r + (c + b·δ).
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sliceCentered, invStd, s, delta] = saved;
          const dy4 = tf.reshape(dy, pixels) as tf.Tensor4D;
          const dBeta = tf.sum(dy4, overPixels);
          const dySliceCentered = tf.sum(tf.mul(dy4, sliceCentered), overPixels);
          const dyCentered = delta ? tf.add(dySliceCentered, tf.mul(delta, dBeta)) : dySliceCentered;
          const dGamma = tf.mul(dyCentered, invStd);
          const [batchDBeta, batchDyCentered] = replicas ? batchGradientSums(replicas, dBeta, dyCentered) : [dBeta, dyCentered];
          const b = tf.neg(tf.mul(s, tf.mul(invStd, tf.div(tf.mul(batchDyCentered, invStd), count))));
          const c = tf.neg(tf.mul(s, tf.div(batchDBeta, count)));
          const dx = tf.add(perChannelAffine(dy4, s), perChannelAffine(sliceCentered as tf.Tensor4D, b, delta ? tf.add(c, tf.mul(b, delta)) : c));
          return [tf.reshape(dx, dy.shape), dGamma, dBeta];
        },
      };
    });
    return normalize(x, this.gamma, this.beta) as T;
  }

  private updateRunningStatistics(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const unbiased = count > 1 ? count / (count - 1) : 1;
    // Running statistics are not in any variable list handed to the gradient, so no gradient flows here.
    const m = this.momentum;
    const newMean = tf.tidy(() => tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
    const newVariance = tf.tidy(() =>
      tf.add(tf.mul(this.runningVariance, 1 - m), tf.mul(variance, m * unbiased)),
    );
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
function perChannelAffine(x: tf.Tensor4D, scale: tf.Tensor, shift?: tf.Tensor): tf.Tensor4D {
  const channels = x.shape[3];
  const filter = tf.reshape(scale, [1, 1, channels, 1]) as tf.Tensor4D;
  return tf.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'valid', bias: shift });
}

/** The whole batch's per-channel moments, and this slice's mean minus the batch's. */
interface BatchMoments {
  count: number;
  mean: tf.Tensor1D;
  /** Biased: Σ (x − μ)² / m. */
  variance: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/**
 * The batch's mean and variance from each slice's count n_r, mean μ_r and M2_r = Σ (x − μ_r)², in
 * one exchange: Σ n_r·μ_r, Σ (M2_r + n_r·μ_r²) and Σ n_r, so that M2 = Σ (M2_r + n_r·μ_r²) − m·μ²
 * (Chan, Golub and LeVeque's pairwise update, as PyTorch's SyncBatchNorm combines its replicas).
 * The subtraction is in float64, whose cancellation for |μ|/σ up to 1e4 stays below float32's
 * rounding.
 */
function batchMoments(replicas: BatchStatisticsReducer, sliceMean: tf.Tensor1D, sliceM2: tf.Tensor, sliceCount: number): BatchMoments {
  const channels = sliceMean.size;
  const means = sliceMean.dataSync() as Float32Array;
  const m2 = sliceM2.dataSync() as Float32Array;
  const partial = new Float64Array(2 * channels + 1);
  for (let c = 0; c < channels; c++) {
    partial[c] = sliceCount * means[c];
    partial[channels + c] = m2[c] + sliceCount * means[c] * means[c];
  }
  partial[2 * channels] = sliceCount;
  const sums = replicas.sum(partial);
  const count = sums[2 * channels];
  const mean = new Float64Array(channels);
  const variance = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = sums[c] / count;
    variance[c] = Math.max(0, sums[channels + c] / count - mean[c] * mean[c]);
    shift[c] = means[c] - mean[c];
  }
  return { count, mean: tf.tensor1d(Float32Array.from(mean)), variance: tf.tensor1d(variance), shift: tf.tensor1d(shift) };
}

/** Per-channel sums `parts` (each [channels]) of this slice, summed across the replicas in one exchange. */
function sumAcrossReplicas(replicas: BatchStatisticsReducer, parts: tf.Tensor[]): Float64Array[] {
  const channels = parts[0].size;
  const partial = new Float64Array(parts.length * channels);
  parts.forEach((part, k) => partial.set(part.dataSync() as Float32Array, k * channels));
  const sums = replicas.sum(partial);
  return parts.map((_, k) => sums.subarray(k * channels, (k + 1) * channels));
}

/**
 * The whole batch's Σ dy and Σ dy·x̄ in this replica's gradient scale. Each replica back-propagates
 * its slice's mean loss L_r = L·b/b_r, so its dy is the batch loss's scaled by 1/share; the batch's
 * sums are Σ_r share_r·(Σ dy)_r, brought back to this replica's scale by dividing by its share.
 */
function batchGradientSums(replicas: BatchStatisticsReducer, dBeta: tf.Tensor, dyCentered: tf.Tensor): [tf.Tensor1D, tf.Tensor1D] {
  const share = replicas.lossShare;
  const [beta, centered] = sumAcrossReplicas(replicas, [tf.mul(dBeta, share), tf.mul(dyCentered, share)]);
  return [tf.tensor1d(Float32Array.from(beta, (sum) => sum / share)), tf.tensor1d(Float32Array.from(centered, (sum) => sum / share))];
}
