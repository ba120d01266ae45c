import * as tf from '@tensorflow/tfjs-core';
import '../backend/register-gradients';
import type { ForwardMode } from '../task/contracts';
import type { ParameterRegistry } from './parameter-registry';

/**
 * Batch normalisation over NHWC channels (Ioffe & Szegedy 2015), PyTorch conventions:
 * running = (1 − momentum)·running + momentum·batch, running variance unbiased, eps 1e-5.
 * Running statistics move only when `mode.updateStatistics` — SAM's second pass must leave them be.
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
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const count = x.size / x.shape[x.rank - 1];
    // A closed-form gradient: autodiff through tf.moments + tf.batchNorm goes through Tile and
    // many broadcasts, which dominate a training step on the wasm backend.
    const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as tf.GradSaveFunc;
      const mean = tf.mean(input, axes);
      const centered = tf.sub(input, mean);
      const variance = tf.mean(tf.square(centered), axes);
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon));
      const normalized = tf.mul(centered, inverseStd);
      if (mode.updateStatistics) this.updateRunningStatistics(mean, variance, count);
      save([normalized, inverseStd, gamma]);
      return {
        value: tf.add(tf.mul(normalized, gamma), beta),
        // dβ = Σ dy; dγ = Σ dy·x̂; dx = γ/σ · (dy − dβ/m − x̂·dγ/m), sums over all but the channel axis.
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xHat, invStd, scale] = saved;
          const dBeta = tf.sum(dy, axes);
          const dGamma = tf.sum(tf.mul(dy, xHat), axes);
          const inner = tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count)));
          return [tf.mul(inner, tf.mul(scale, invStd)), dGamma, dBeta];
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
