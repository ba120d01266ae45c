import * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from './base-optimizer';
import { SlotTensors } from './slot-tensors';

export interface SgdOptions {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /** L2 decay added to the gradient (PyTorch `weight_decay` semantics, not decoupled). */
  weightDecay?: number;
}

/**
 * SGD with momentum, Nesterov and weight decay, exactly PyTorch's `torch.optim.SGD`:
 * d = g + λw; b ← d on the first step, else μb + (1 − τ)d; d ← d + μb (Nesterov) or b; w ← w − η·d.
 */
export class Sgd implements BaseOptimizer {
  readonly kind = 'sgd';
  private step = 0;
  private readonly momentumBuffers = new SlotTensors();
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;

  constructor(options: SgdOptions = {}) {
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new Error('Sgd: Nesterov momentum requires momentum > 0 and dampening = 0');
    }
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate: number): void {
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        let direction: tf.Tensor = gradients[i];
        if (this.weightDecay !== 0) direction = tf.add(direction, tf.mul(variable, this.weightDecay));
        if (this.momentum !== 0) {
          const previous = this.momentumBuffers.get(i);
          const buffer = previous
            ? tf.add(tf.mul(previous, this.momentum), tf.mul(direction, 1 - this.dampening))
            : tf.clone(direction);
          this.momentumBuffers.set(i, buffer);
          direction = this.nesterov ? tf.add(direction, tf.mul(buffer, this.momentum)) : buffer;
        }
        variable.assign(tf.sub(variable, tf.mul(direction, learningRate)));
      });
    });
    this.step++;
  }

  state(): OptimizerState {
    return { kind: this.kind, step: this.step, slots: { momentum: this.momentumBuffers.snapshot() } };
  }

  load(state: OptimizerState, variables: readonly tf.Variable[]): void {
    if (state.kind !== this.kind) throw new Error(`Sgd.load: expected state of kind 'sgd', found '${state.kind}'`);
    this.step = state.step;
    this.momentumBuffers.restore(state.slots.momentum ?? [], variables, 'momentum');
  }

  dispose(): void {
    this.momentumBuffers.dispose();
  }
}
