import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode } from '@ausam/core';

/**
 * A fake quantizer: v ↦ v̂, a tensor of v's shape holding only the values of a b-bit uniform grid
 * (at most 2^b per step/range), with a straight-through gradient so training sees through it.
 * Its parameters (steps, ranges) live in the {@link ParameterRegistry} it was built with.
 */
export interface FakeQuantizer {
  /** Prefix of its variables' names, e.g. `stage1/block0/conv1/weight_quantizer`. */
  readonly name: string;
  readonly bits: number;
  /**
   * v̂. Parameters that are initialised from data are initialised from the first `values` seen
   * (unless a checkpoint already set them). Runs inside the caller's gradient scope.
   * `mode` matters for running-range quantizers (ranges move only when `mode.updateStatistics`).
   */
  quantize<T extends tf.Tensor>(values: T, mode?: ForwardMode): T;
  /** Forgets data-driven parameters: the next {@link quantize} initialises them again. */
  reset(): void;
}

/** Mode used when a caller gives none: evaluation, nothing moves. */
export const EVALUATION_MODE: ForwardMode = { training: false, updateStatistics: false };
