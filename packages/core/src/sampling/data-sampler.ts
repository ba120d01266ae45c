import type { Rng } from '../random/rng';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';

/** The samples of one epoch, in training order. */
export interface EpochPlan {
  readonly ids: Int32Array;
  /** Per-id loss weights (aligned with `ids`), e.g. InfoBatch's rescaling; absent = all 1. */
  readonly weights?: Float32Array;
}

/** Which samples of a batch the step trains on. */
export interface BatchSelection {
  /** Positions into the batch, ascending. */
  readonly positions: Int32Array;
  /** Loss weights for the selected positions (aligned with `positions`); absent = all 1. */
  readonly weights?: Float32Array;
}

/** The state of a sampler that keeps none (it plans from the epoch's random stream alone). */
export type StatelessSamplerState = Record<string, never>;

/**
 * Decides which samples are trained on: per epoch (`planEpoch`) and optionally per batch
 * (`selectInBatch`), learning from each step's per-sample losses (`observe`). Owns its scores; its
 * state `S` (plain data) is what checkpoints hold.
 */
export interface DataSampler<S = unknown> {
  readonly name: string;
  planEpoch(epoch: number, totalEpochs: number, rng: Rng): EpochPlan;
  /** Absent: the whole batch is trained on. */
  selectInBatch?(ids: Int32Array, weights: Float32Array | undefined, rng: Rng): BatchSelection;
  /** Called after every step with the step's per-sample losses. */
  observe(result: StepResult): void;
  /** Numbers worth logging per epoch (e.g. the schedule's λ, score statistics). */
  describe?(): Record<string, number>;
  state(): S;
  load(state: S): void;
}
