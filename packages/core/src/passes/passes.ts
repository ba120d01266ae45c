import type * as tf from '@tensorflow/tfjs-core';
import type { Batch, ForwardMode, Task } from '../task/contracts';

/** Per-sample losses (read back) and the gradient of their (weighted) mean, one per trainable variable. */
export interface LossAndGradients {
  readonly perSampleLoss: Float32Array;
  /** Owned by the caller: dispose them. */
  readonly gradients: tf.Tensor[];
}

/**
 * How a step computes its losses and gradients (optax's `grad_fn`, handed in, never looked up).
 * Optimizers receive it through `StepInput.passes`; `train()` hands on the one it is given
 * (default {@link localPasses}, this thread). Data-parallel replicas are another implementation:
 * they split each pass across threads and combine the results, which must equal the local ones up
 * to float summation order.
 */
export interface Passes {
  /**
   * One forward+backward pass: L = (1/b)·Σᵢ wᵢ·ℓᵢ (wᵢ = 1 when no weights are given), gradients of L
   * with respect to `task.model.trainableVariables`, in their order. A loss not of shape [b] throws
   * a `TaskContractError`.
   */
  lossAndGradients<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode, sampleWeights?: Float32Array): LossAndGradients;
  /** Forward only (no gradient): the per-sample losses ℓᵢ at the current weights. */
  perSampleLoss<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array;
}
