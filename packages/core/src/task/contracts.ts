import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/rng';

/** A batch of training samples. `ids` are dataset indices: scores outlive batches. */
export interface Batch {
  readonly ids: Int32Array;
}

/**
 * How a forward pass treats BatchNorm-like state. SAM's second pass (at w + ε) runs in training
 * mode but must not move running statistics (Foret et al. 2021, davda54/sam README).
 */
export interface ForwardMode {
  readonly training: boolean;
  readonly updateStatistics: boolean;
}

/** A model as core sees it: named variables and nothing else. */
export interface TrainableModel {
  /** Variables the optimizer updates, in a stable order. */
  readonly trainableVariables: readonly tf.Variable[];
  /** Variables saved in checkpoints but not trained (e.g. BatchNorm running mean/variance). */
  readonly stateVariables: readonly tf.Variable[];
}

/** A dataset addressable by sample id. */
export interface Dataset<B extends Batch> {
  /** Number of samples; valid ids are 0..size-1. */
  readonly size: number;
  /**
   * Yields the samples `ids` in that order, `batchSize` at a time (the last batch may be smaller).
   * `rng` drives augmentation; pass none for evaluation (no augmentation).
   */
  batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<B>;
}

/** What a task package gives core. */
export interface Task<B extends Batch> {
  readonly name: string;
  readonly model: TrainableModel;
  /** Loss of each sample of the batch, shape [batch]. Runs inside the caller's gradient scope. */
  perSampleLoss(batch: B, mode: ForwardMode): tf.Tensor1D;
  /** The batch restricted to the samples at `positions` (for methods that run a pass on a subset). */
  selectSamples(batch: B, positions: Int32Array): B;
  /** Metrics on a split, e.g. `{ accuracy: 0.91, loss: 0.27 }`. */
  evaluate(dataset: Dataset<B>, options?: EvaluateOptions): Promise<Record<string, number>>;
  /** Releases the batch's tensors once the step is done. */
  disposeBatch(batch: B): void;
}

export interface EvaluateOptions {
  batchSize?: number;
  /** Evaluate only the first `limit` samples. */
  limit?: number;
}
