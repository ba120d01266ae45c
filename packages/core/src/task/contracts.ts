import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/rng';

/**
 * A batch of samples. `ids` are dataset indices: scores outlive batches. Every tensor a batch holds
 * at its top level has one row per id along axis 0 (core checks it); anything shared by all samples
 * belongs to the task, not the batch.
 */
export interface Batch {
  readonly ids: Int32Array;
}

/**
 * How a forward pass treats BatchNorm-like state. SAM's second pass (at w + ε) runs in training
 * mode but must not move running statistics (Foret et al. 2021, davda54/sam README). Core's
 * constants: `FIRST_PASS`, `PERTURBED_PASS`, `EVALUATION`.
 */
export interface ForwardMode {
  readonly training: boolean;
  readonly updateStatistics: boolean;
  /**
   * Set by data-parallel passes on each replica's slice: training-mode BatchNorm sums its
   * per-channel statistics across the replicas through it, so it normalises with the whole batch's
   * (SyncBatchNorm). Absent in one thread: the slice is the batch.
   */
  readonly batchStatistics?: BatchStatisticsReducer;
}

/**
 * Sums per-channel partial sums across the replicas that share one batch (an all-reduce). Every
 * replica of a pass calls {@link BatchStatisticsReducer.sum} the same number of times, with arrays
 * of the same length, in the same order (the same model runs on each slice).
 */
export interface BatchStatisticsReducer {
  /**
   * This replica's share of the batch's loss, b_r / b: the pass computes the gradient of its slice's
   * mean loss, which the replicas' gradients weighted by their shares add up to. A backward pass
   * scales its partial sums of upstream gradients by it before summing them.
   */
  readonly lossShare: number;
  /**
   * Σ_r partial_r element by element, summed in rank order in float64: the same array on every
   * replica, and the same for any split up to float summation order.
   */
  sum(partial: Float32Array | Float64Array): Float64Array;
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
   * Yields the samples `ids` in that order, `batchSize` at a time: batch k holds exactly
   * `ids[k·batchSize … (k+1)·batchSize)`, only the last one may be smaller, none is dropped (core
   * checks it and throws a `TaskContractError`). `rng` drives augmentation; evaluation passes none
   * (no augmentation). Whoever iterates owns the batches: the trainer disposes training batches with
   * `Task.disposeBatch`; `Task.evaluate` disposes the ones it reads.
   */
  batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<B>;
}

/** What a task package gives core. */
export interface Task<B extends Batch> {
  /** Names the task in logs, config.json and errors. */
  readonly name: string;
  /** The variables to train and checkpoint. */
  readonly model: TrainableModel;
  /**
   * Loss of each sample of the batch: shape [batch.ids.length], never reduced (core checks the shape
   * and throws a `TaskContractError`). Runs inside the caller's gradient scope; `mode` says whether
   * BatchNorm statistics may move.
   */
  perSampleLoss(batch: B, mode: ForwardMode): tf.Tensor1D;
  /**
   * A new batch with the samples at `positions` (ascending) of `batch`: ids `batch.ids[p]`, tensors
   * gathered (not views of `batch`'s). Methods that run a pass on a subset call it; whoever called it
   * disposes the result with `disposeBatch` (the trainer after the step, as it does `batch`).
   */
  selectSamples(batch: B, positions: Int32Array): B;
  /**
   * Metrics on a split, e.g. `{ accuracy: 0.91, loss: 0.27 }`: evaluates ids 0..min(limit, size)-1 of
   * `dataset` in batches of `options.batchSize` with no `rng`, in `EVALUATION` mode, disposing each
   * batch it reads and every tensor it makes. Numbers only; report a `loss` so that a diverged run
   * is stopped (core throws `NonFiniteMetricError` for a NaN/∞ loss or any ∞ metric; NaN elsewhere
   * means "undefined on this split").
   */
  evaluate(dataset: Dataset<B>, options?: EvaluateOptions): Promise<Record<string, number>>;
  /** Releases the batch's tensors (the trainer calls it once a step is done with a batch). */
  disposeBatch(batch: B): void;
}

export interface EvaluateOptions {
  /** Samples per batch (the trainer passes its `evalBatchSize`, default 256). */
  batchSize?: number;
  /** Evaluate only the first `limit` samples (ids 0..limit-1). */
  limit?: number;
}
