import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode } from '../task/contracts';
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
    const count = x.size / channels;
    // Every rank is viewed as one row of `count` pixels, so that each per-channel affine map
    // below is a single 1×1 depthwise convolution (see perChannelAffine).
    const pixels: [number, number, number, number] = [1, 1, count, channels];
    const overPixels = [0, 1, 2];
    // A closed-form gradient: autodiff through tf.moments + tf.batchNorm goes through Tile and
    // many broadcasts, which dominate a training step on the wasm backend.
    const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as tf.GradSaveFunc;
      const x4 = tf.reshape(input, pixels) as tf.Tensor4D;
      const mean = tf.mean(x4, overPixels);
      // Two passes (x̄ first, then Σx̄²) rather than E[x²] − μ², which cancels when |μ| ≫ σ.
      const centered = perChannelAffine(x4, tf.onesLike(mean), tf.neg(mean));
      const variance = tf.mean(tf.square(centered), overPixels);
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon));
      const scale = tf.mul(gamma, inverseStd);
      if (mode.updateStatistics) this.updateRunningStatistics(mean, variance, count);
      save([centered, inverseStd, scale]);
      return {
        value: tf.reshape(perChannelAffine(centered, scale, beta), input.shape),
        // dβ = Σ dy; dγ = Σ dy·x̂ = Σ dy·x̄ / σ; dx = s·(dy − dβ/m − x̂·dγ/m) = s·dy + b·x̄ + c with
        // per-channel b = −s·dγ/(σ·m), c = −s·dβ/m. Sums are over all but the channel axis.
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xCentered, invStd, s] = saved;
          const dy4 = tf.reshape(dy, pixels) as tf.Tensor4D;
          const dBeta = tf.sum(dy4, overPixels);
          const dGamma = tf.mul(tf.sum(tf.mul(dy4, xCentered), overPixels), invStd);
          const b = tf.neg(tf.mul(s, tf.mul(invStd, tf.div(dGamma, count))));
          const c = tf.neg(tf.mul(s, tf.div(dBeta, count)));
          const dx = tf.add(perChannelAffine(dy4, s), perChannelAffine(xCentered as tf.Tensor4D, b, c));
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
