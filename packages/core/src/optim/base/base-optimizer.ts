import type * as tf from '@tensorflow/tfjs-core';

/** A serialisable snapshot of an optimizer: scalars plus named per-variable slot tensors. */
export interface OptimizerState {
  readonly kind: string;
  readonly step: number;
  /** slot name → one Float32Array per variable (same order as the variable list), or null where unset. */
  readonly slots: Record<string, (Float32Array | null)[]>;
}

/**
 * A first-order update rule applied to a list of variables (optax's `update`, tfjs's
 * `applyGradients`). Sharpness-aware methods wrap one of these; they never fork it.
 */
export interface BaseOptimizer {
  readonly kind: string;
  /** Updates `variables[i]` with `gradients[i]` at the given learning rate, inside one tf.tidy. */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate: number): void;
  state(): OptimizerState;
  load(state: OptimizerState, variables: readonly tf.Variable[]): void;
  dispose(): void;
}
