import * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from './base-optimizer';
import { SlotTensors } from './slot-tensors';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled decay (Loshchilov & Hutter 2019): w ← w − η·λ·w, applied before the Adam step. */
  weightDecay?: number;
}

/**
 * AdamW as in PyTorch's `torch.optim.AdamW`: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * w ← w(1 − ηλ) − η·(m/(1−β₁ᵗ)) / (sqrt(v/(1−β₂ᵗ)) + ε).
 */
export class AdamW implements BaseOptimizer {
  readonly kind = 'adamw';
  private step = 0;
  private readonly firstMoments = new SlotTensors();
  private readonly secondMoments = new SlotTensors();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate: number): void {
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        const g = gradients[i];
        const m0 = this.firstMoments.get(i) ?? tf.zerosLike(g);
        const v0 = this.secondMoments.get(i) ?? tf.zerosLike(g);
        const m = tf.add(tf.mul(m0, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(v0, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.firstMoments.set(i, m);
        this.secondMoments.set(i, v);
        const decayed = tf.mul(variable, 1 - learningRate * this.weightDecay);
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon));
        variable.assign(tf.sub(decayed, tf.mul(update, learningRate)));
      });
    });
  }

  state(): OptimizerState {
    return {
      kind: this.kind,
      step: this.step,
      slots: { firstMoment: this.firstMoments.snapshot(), secondMoment: this.secondMoments.snapshot() },
    };
  }

  load(state: OptimizerState, variables: readonly tf.Variable[]): void {
    if (state.kind !== this.kind) throw new Error(`AdamW.load: expected state of kind 'adamw', found '${state.kind}'`);
    this.step = state.step;
    this.firstMoments.restore(state.slots.firstMoment ?? [], variables, 'firstMoment');
    this.secondMoments.restore(state.slots.secondMoment ?? [], variables, 'secondMoment');
  }

  dispose(): void {
    this.firstMoments.dispose();
    this.secondMoments.dispose();
  }
}
