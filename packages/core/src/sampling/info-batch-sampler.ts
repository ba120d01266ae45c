import type { Rng } from '../random/rng';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';
import type { DataSampler, EpochPlan } from './data-sampler';
import { ScoreStore, type ScoreStoreState } from './score-store';

export interface InfoBatchOptions {
  size: number;
  /** Probability r of pruning a below-mean-loss sample each epoch (paper default 0.5). */
  pruneProbability?: number;
  /** Fraction δ of final epochs trained on the full data (paper default 0.875 → last 12.5%). */
  annealFraction?: number;
}

/**
 * InfoBatch (Qin et al. 2024, "InfoBatch: Lossless Training Speed Up by Unbiased Dynamic Data
 * Pruning"): each epoch, samples whose latest loss is below the mean are pruned with probability r;
 * the kept ones of them get loss weight 1/(1 − r) so the expected gradient is unchanged; the last
 * (1 − δ) of epochs use all data. Never-scored samples are kept.
 */
/** What an {@link InfoBatchSampler} checkpoint holds. */
export interface InfoBatchSamplerState {
  /** Each sample's latest loss. */
  readonly scores: ScoreStoreState;
  /** Fraction of the set the last epoch plan kept (logged). */
  readonly lastKeptFraction: number;
}

export class InfoBatchSampler implements DataSampler<InfoBatchSamplerState> {
  readonly name = 'infobatch';
  readonly scores: ScoreStore;
  private readonly pruneProbability: number;
  private readonly annealFraction: number;
  private lastKeptFraction = 1;

  constructor(options: InfoBatchOptions) {
    this.scores = new ScoreStore(options.size);
    this.pruneProbability = options.pruneProbability ?? 0.5;
    this.annealFraction = options.annealFraction ?? 0.875;
    if (!(this.pruneProbability >= 0 && this.pruneProbability < 1)) {
      throw new RangeError(`InfoBatch prune probability must be in [0, 1), found ${this.pruneProbability}`);
    }
  }

  planEpoch(epoch: number, totalEpochs: number, rng: Rng): EpochPlan {
    const n = this.scores.size;
    const annealing = epoch >= Math.floor(this.annealFraction * totalEpochs);
    let mean = 0;
    let scored = 0;
    for (let i = 0; i < n; i++) {
      if (this.scores.counts[i] > 0) {
        mean += this.scores.scores[i];
        scored++;
      }
    }
    mean = scored > 0 ? mean / scored : 0;
    const ids: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < n; i++) {
      const wellLearned = !annealing && this.scores.counts[i] > 0 && this.scores.scores[i] < mean;
      if (!wellLearned) {
        ids.push(i);
        weights.push(1);
      } else if (rng.next() >= this.pruneProbability) {
        ids.push(i);
        weights.push(1 / (1 - this.pruneProbability));
      }
    }
    this.lastKeptFraction = ids.length / n;
    const order = rng.shuffle(Int32Array.from(ids, (_, k) => k));
    return {
      ids: Int32Array.from(order, (k) => ids[k]),
      weights: Float32Array.from(order, (k) => weights[k]),
    };
  }

  observe(result: StepResult): void {
    this.scores.update(result.ids, result.lossBefore);
  }

  describe(): Record<string, number> {
    return { keptFraction: this.lastKeptFraction };
  }

  state(): InfoBatchSamplerState {
    return { scores: this.scores.state(), lastKeptFraction: this.lastKeptFraction };
  }

  load(state: InfoBatchSamplerState): void {
    this.scores.load(state.scores);
    this.lastKeptFraction = state.lastKeptFraction;
  }
}
