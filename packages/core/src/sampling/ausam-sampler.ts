import type { Rng } from '../random/rng';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';
import { AdlpStore, type AdlpStoreState } from './adlp-store';
import { ausamBatchProbabilities } from './ausam-probabilities';
import type { BatchSelection, DataSampler, EpochPlan } from './data-sampler';
import { selectivityCeiling, type SelectivitySchedule } from './selectivity-schedule';
import { checkSubsetRatio, checkWarmupEpochs, subsetSize } from './subset-size';
import { shuffledIds, weightedSampleWithoutReplacement } from './weighted-selection';

/** The authors' share of the run over which f_max(e) rises: `--trans_epoch 30` of `--epochs 200`. */
export const DEFAULT_TRANSITION_FRACTION = 30 / 200;

export interface AusamOptions {
  /** Dataset size N. */
  size: number;
  /** α: each batch trains floor(α·b) samples with SAM (`--alpha`, default 0.5). */
  ratio?: number;
  /** Epochs of plain SAM on every sample, scoring them all (the authors' epoch 0; default 1). */
  warmupEpochs?: number;
  /** `--fmin`, default 0.1; 0 is allowed (then pⱼ ∝ aⱼ − min a, see ausamBatchProbabilities). */
  fMin?: number;
  /** `--fmax`, default 0.5. */
  fMax?: number;
  /** `--start_epoch`, default 0. */
  startEpoch?: number;
  /** `--trans_epoch`; default 15% of the run (the authors' 30 of 200 epochs). */
  transitionEpochs?: number;
}

/** Serialised {@link AusamSampler}. */
export interface AusamSamplerState {
  adlp: AdlpStoreState;
}

/**
 * AUSAM's sampler as the authors' code does it (ajiaaa/AUSAM, `AUSAM/sam/ausam.py` and
 * `AUSAM/train.py`; docs/algorithm.md). Warm-up epochs run SAM on every sample and score them all.
 * After that, every uniformly shuffled batch keeps k = floor(α·b) samples drawn without replacement
 * with p = {@link ausamBatchProbabilities}(live ADLP of the batch, fMin, f_max(e)); each kept sample's
 * DLP |ℓᵢ(w+ε) − ℓᵢ(w)| joins its ADLP (a plain mean). No loss reweighting.
 */
export class AusamSampler implements DataSampler<AusamSamplerState> {
  readonly name = 'ausam';
  readonly adlp: AdlpStore;
  readonly ratio: number;
  readonly warmupEpochs: number;
  private readonly fMin: number;
  private readonly fMax: number;
  private readonly startEpoch: number;
  private readonly transitionEpochs?: number;
  private epoch = 0;
  private totalEpochs = 1;
  /** p·b of every sample drawn-from this epoch (1 = uniform), for histograms; cleared per epoch. */
  private probabilityTimesBatch: number[] = [];

  constructor(readonly options: AusamOptions) {
    this.ratio = options.ratio ?? 0.5;
    this.warmupEpochs = options.warmupEpochs ?? 1;
    this.fMin = options.fMin ?? 0.1;
    this.fMax = options.fMax ?? 0.5;
    this.startEpoch = options.startEpoch ?? 0;
    this.transitionEpochs = options.transitionEpochs;
    checkSubsetRatio('AUSAM', this.ratio);
    checkWarmupEpochs('AUSAM', this.warmupEpochs);
    if (!(this.fMin >= 0 && this.fMax > 0 && this.fMax >= this.fMin)) {
      throw new RangeError(`AUSAM: expected 0 ≤ fMin ≤ fMax and fMax > 0, found fMin ${this.fMin}, fMax ${this.fMax}`);
    }
    if (this.transitionEpochs !== undefined && !(this.transitionEpochs >= 0)) {
      throw new RangeError(`AUSAM: transitionEpochs must be ≥ 0, found ${this.transitionEpochs}`);
    }
    this.adlp = new AdlpStore(options.size);
  }

  planEpoch(epoch: number, totalEpochs: number, rng: Rng): EpochPlan {
    this.epoch = epoch;
    this.totalEpochs = totalEpochs;
    this.probabilityTimesBatch = [];
    return { ids: shuffledIds(this.adlp.size, rng) };
  }

  /** Whether the current epoch is a warm-up epoch (plain SAM on every sample). */
  inWarmup(): boolean {
    return this.epoch < this.warmupEpochs;
  }

  /** The ceiling f_max(e) of the current epoch. */
  currentCeiling(): number {
    return selectivityCeiling(this.currentSchedule(), this.epoch);
  }

  /** The schedule in force (transition length resolved against the run's epochs). */
  currentSchedule(): SelectivitySchedule {
    return {
      fMin: this.fMin,
      fMax: this.fMax,
      startEpoch: this.startEpoch,
      transitionEpochs: this.transitionEpochs ?? DEFAULT_TRANSITION_FRACTION * this.totalEpochs,
    };
  }

  selectInBatch(ids: Int32Array, _weights: Float32Array | undefined, rng: Rng): BatchSelection {
    if (this.inWarmup()) return { positions: Int32Array.from(ids, (_, i) => i) };
    const p = ausamBatchProbabilities(this.adlp.adlpOf(ids), this.fMin, this.currentCeiling());
    for (const pj of p) this.probabilityTimesBatch.push(pj * ids.length);
    return { positions: weightedSampleWithoutReplacement(p, subsetSize(this.ratio, ids.length), rng) };
  }

  observe(result: StepResult): void {
    const dlp = Float64Array.from(result.lossAfter, (after, k) => Math.abs(after - result.lossBefore[k]));
    // AUSAM runs the perturbed pass on every sample it trains, so a non-finite DLP is divergence.
    const bad = dlp.findIndex((d) => !Number.isFinite(d));
    if (bad >= 0) {
      throw new RangeError(
        `AUSAM: sample ${result.ids[bad]} has ℓ(w) = ${result.lossBefore[bad]} and ℓ(w+ε) = ${result.lossAfter[bad]}, ` +
          'expected finite losses: training diverged at the perturbed point (lower the learning rate or ρ)',
      );
    }
    this.adlp.add(result.ids, dlp);
  }

  /** p·b of every batch position drawn from this epoch (empty in warm-up epochs). */
  epochProbabilityRatios(): Float32Array {
    return Float32Array.from(this.probabilityTimesBatch);
  }

  describe(): Record<string, number> {
    let max = 0;
    let min = Infinity;
    for (const r of this.probabilityTimesBatch) {
      if (r > max) max = r;
      if (r < min) min = r;
    }
    return {
      warmup: this.inWarmup() ? 1 : 0,
      fMaxCeiling: this.currentCeiling(),
      scoredFraction: this.adlp.scoredFraction(),
      probabilityMaxOverMin: this.probabilityTimesBatch.length ? max / min : 1,
    };
  }

  state(): AusamSamplerState {
    return { adlp: this.adlp.state() };
  }

  load(state: AusamSamplerState): void {
    // Checked: a checkpoint of an older AUSAM rule holds other fields.
    const s = state as Partial<AusamSamplerState> | undefined;
    if (!s?.adlp) throw new Error('AusamSampler.load: expected { adlp: { sums, counts } } (a checkpoint of this AUSAM rule)');
    this.adlp.load(s.adlp);
  }

}
