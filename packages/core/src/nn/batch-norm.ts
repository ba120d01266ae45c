import * as tf from '@tensorflow/tfjs-core';
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
    const { mean, variance } = tf.moments(x, axes);
    if (mode.updateStatistics) this.updateRunningStatistics(mean, variance, x.size / x.shape[x.rank - 1]);
    return tf.batchNorm(x, mean, variance, this.beta, this.gamma, this.epsilon) as T;
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
