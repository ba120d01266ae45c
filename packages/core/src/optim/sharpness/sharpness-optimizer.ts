import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerState } from '../base/base-optimizer';
import type { Passes } from '../../passes/passes';
import type { Batch, Task } from '../../task/contracts';

/** One training step's inputs. */
export interface StepInput<B extends Batch> {
  readonly task: Task<B>;
  readonly batch: B;
  readonly learningRate: number;
  /** Per-sample loss weights aligned with `batch.ids`; absent = plain mean. */
  readonly sampleWeights?: Float32Array;
  /** How the step computes its losses and gradients; default `localPasses` (this thread). */
  readonly passes?: Passes;
}

/** What a step measured, per sample. Arrays are aligned with `ids`. */
export interface StepResult {
  readonly ids: Int32Array;
  /** ℓ_i(w), the loss at the current weights (before the update). */
  readonly lossBefore: Float32Array;
  /** ℓ_i(w + ε) where the method ran the perturbed pass on sample i, NaN elsewhere. */
  readonly lossAfter: Float32Array;
  /** Forward+backward passes done, counted in samples (SGD on b samples = b; SAM = 2b). */
  readonly sampleGradientPasses: number;
  /** Forward-only passes, counted in samples (e.g. ESAM's selection pass). */
  readonly sampleForwardPasses: number;
  /** Whether this step did a sharpness-aware (two-pass) update. */
  readonly sharpnessStep: boolean;
}

/**
 * One training step of SGD, SAM or a variant, wrapping a base optimizer. Its state `S` (plain
 * data: numbers, arrays, Float32Arrays) is what checkpoints hold.
 */
export interface SharpnessOptimizer<S = unknown> {
  readonly name: string;
  /** Runs its passes through `input.passes` (default `localPasses`). */
  step<B extends Batch>(input: StepInput<B>): StepResult;
  state(): S;
  /** Restores `state()`; `variables` are the task's trainable variables (slot shapes). */
  load(state: S, variables: readonly tf.Variable[]): void;
  dispose(): void;
}

/** The state of an optimizer that is its base optimizer's alone (SGD, SAM, ASAM). */
export interface BaseOnlyState {
  readonly base: OptimizerState;
}
