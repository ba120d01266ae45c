import type { Rng } from '../random/rng';
import type { DataSampler, EpochPlan, StatelessSamplerState } from './data-sampler';
import { shuffledIds } from './weighted-selection';

/** Every sample every epoch, reshuffled: plain SGD/SAM training. */
export class FullDataSampler implements DataSampler<StatelessSamplerState> {
  readonly name = 'full';

  constructor(readonly size: number) {}

  planEpoch(_epoch: number, _totalEpochs: number, rng: Rng): EpochPlan {
    return { ids: shuffledIds(this.size, rng) };
  }

  observe(): void {}

  state(): StatelessSamplerState {
    return {};
  }

  load(): void {}
}
