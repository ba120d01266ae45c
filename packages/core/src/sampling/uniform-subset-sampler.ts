import type { Rng } from '../random/rng';
import type { BatchSelection, DataSampler, EpochPlan, StatelessSamplerState } from './data-sampler';
import { checkSubsetRatio, checkWarmupEpochs, subsetSize } from './subset-size';
import { shuffledIds, weightedSampleWithoutReplacement } from './weighted-selection';

/**
 * The control for AUSAM: everything AUSAM does except its probabilities — the same warm-up epochs of
 * SAM on every sample, then k = floor(α·b) samples of each batch drawn uniformly without
 * replacement. If AUSAM does not beat this at the same pass budget, its ADLP criterion adds nothing.
 */
export class UniformSubsetSampler implements DataSampler<StatelessSamplerState> {
  readonly name = 'uniform';
  private epoch = 0;

  constructor(
    readonly size: number,
    readonly ratio = 0.5,
    readonly warmupEpochs = 1,
  ) {
    checkSubsetRatio('uniform subset', ratio);
    checkWarmupEpochs('uniform subset', warmupEpochs);
  }

  planEpoch(epoch: number, _totalEpochs: number, rng: Rng): EpochPlan {
    this.epoch = epoch;
    return { ids: shuffledIds(this.size, rng) };
  }

  selectInBatch(ids: Int32Array, _weights: Float32Array | undefined, rng: Rng): BatchSelection {
    if (this.epoch < this.warmupEpochs) return { positions: Int32Array.from(ids, (_, i) => i) };
    return { positions: weightedSampleWithoutReplacement(new Float64Array(ids.length).fill(1), subsetSize(this.ratio, ids.length), rng) };
  }

  observe(): void {}

  describe(): Record<string, number> {
    return { warmup: this.epoch < this.warmupEpochs ? 1 : 0 };
  }

  state(): StatelessSamplerState {
    return {};
  }

  load(): void {}
}
