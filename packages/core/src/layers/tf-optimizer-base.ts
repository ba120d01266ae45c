import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '@ausam/core';

/**
 * A `tf.train.*` optimizer as core's {@link BaseOptimizer}, so SAM, AUSAM and every peer take their
 * base step with it. It steps with its own learning rate (the `learningRate` core passes is not
 * applied). Its slots (momentum, Adam moments) are not part of `state()`: tfjs exposes them only
 * through the asynchronous `getWeights`, while core's checkpoints are written synchronously; only
 * the step count is recorded.
 */
export class TfOptimizerBase implements BaseOptimizer {
  readonly kind: string;
  private steps = 0;

  constructor(readonly optimizer: tf.Optimizer) {
    this.kind = `tf.train:${optimizer.getClassName()}`;
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], _learningRate: number): void {
    this.optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradients[i] })));
    this.steps++;
  }

  state(): OptimizerState {
    return { kind: this.kind, step: this.steps, slots: {} };
  }

  load(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new Error(`TfOptimizerBase.load: expected state of kind '${this.kind}', found '${state.kind}'`);
    this.steps = state.step;
  }

  /** The wrapped optimizer is the caller's: it is left alive. */
  dispose(): void {}
}
