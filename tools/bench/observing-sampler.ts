import type { DataSampler, StepResult } from '@ausam/core';

/**
 * `sampler` unchanged, plus `onStep(epoch, result)` after each of its `observe` calls: a bench sees
 * which samples every step trained on (`result.ids`) without touching the algorithm. Optional
 * members are kept optional, so the trainer treats the wrapper exactly as the sampler.
 */
export function observingSampler(sampler: DataSampler, onStep: (epoch: number, result: StepResult) => void): DataSampler {
  let epoch = 0;
  const select = sampler.selectInBatch?.bind(sampler);
  const describe = sampler.describe?.bind(sampler);
  return {
    name: sampler.name,
    planEpoch: (e, totalEpochs, rng) => {
      epoch = e;
      return sampler.planEpoch(e, totalEpochs, rng);
    },
    ...(select ? { selectInBatch: select } : {}),
    observe: (result) => {
      sampler.observe(result);
      onStep(epoch, result);
    },
    ...(describe ? { describe } : {}),
    state: () => sampler.state(),
    load: (state) => sampler.load(state),
  };
}
