import type * as tf from '@tensorflow/tfjs-core';
import type { Batch, Task } from '../../task/contracts';

/** One training step's inputs. */
export interface StepInput<B extends Batch> {
  readonly task: Task<B>;
  readonly batch: B;
  readonly learningRate: number;
  /** Per-sample loss weights aligned with `batch.ids`; absent = plain mean. */
  readonly sampleWeights?: Float32Array;
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
 * One training step of SGD, SAM or a variant, wrapping a base optimizer. State is serialisable
 * for checkpoints.
 */
export interface SharpnessOptimizer {
  readonly name: string;
  step<B extends Batch>(input: StepInput<B>): StepResult;
  state(): unknown;
  /** Restores `state()`; `variables` are the task's trainable variables (slot shapes). */
  load(state: unknown, variables: readonly tf.Variable[]): void;
  dispose(): void;
}
