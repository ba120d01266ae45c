import type { Rng } from '../random/rng';
import type { BatchSelection, DataSampler, EpochPlan } from './data-sampler';
import { shuffledIds, weightedSampleWithoutReplacement } from './weighted-selection';

/**
 * The control for AUSAM: the same kept fraction r, drawn uniformly (per batch: k = round(r·b) of each
 * batch; per epoch: round(r·N) samples). If AUSAM does not beat this, its criterion adds nothing.
 */
export class UniformSubsetSampler implements DataSampler {
  readonly name = 'uniform';

  constructor(
    readonly size: number,
    readonly ratio = 0.55,
    readonly selection: 'perBatch' | 'perEpoch' = 'perBatch',
  ) {
    if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`uniform subset ratio must be in (0, 1], found ${ratio}`);
  }

  planEpoch(_epoch: number, _totalEpochs: number, rng: Rng): EpochPlan {
    const ids = shuffledIds(this.size, rng);
    return { ids: this.selection === 'perBatch' ? ids : ids.slice(0, Math.round(this.ratio * this.size)) };
  }

  selectInBatch(ids: Int32Array, weights: Float32Array | undefined, rng: Rng): BatchSelection {
    if (this.selection !== 'perBatch') return { positions: Int32Array.from(ids, (_, i) => i), weights };
    const k = Math.max(1, Math.round(this.ratio * ids.length));
    return { positions: weightedSampleWithoutReplacement(new Float64Array(ids.length).fill(1), k, rng) };
  }

  observe(): void {}

  state(): unknown {
    return {};
  }

  load(): void {}
}
