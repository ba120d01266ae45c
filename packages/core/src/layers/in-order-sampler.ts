import type { Rng, BatchSelection, DataSampler, EpochPlan, StepResult } from '@ausam/core';

/**
 * Another sampler's epoch plan in ascending id order (`fit`'s `shuffle: false`): the same samples
 * and weights, unshuffled. Per-batch selection, scores and state stay the inner sampler's.
 */
export class InOrderSampler implements DataSampler {
  readonly name: string;
  /** The inner sampler's per-batch selection, when it has one. */
  readonly selectInBatch?: (ids: Int32Array, weights: Float32Array | undefined, rng: Rng) => BatchSelection;

  constructor(readonly inner: DataSampler) {
    this.name = inner.name;
    if (inner.selectInBatch) this.selectInBatch = (ids, weights, rng) => inner.selectInBatch!(ids, weights, rng);
  }

  planEpoch(epoch: number, totalEpochs: number, rng: Rng): EpochPlan {
    const plan = this.inner.planEpoch(epoch, totalEpochs, rng);
    const order = Array.from(plan.ids.keys()).sort((a, b) => plan.ids[a] - plan.ids[b]);
    return {
      ids: Int32Array.from(order, (k) => plan.ids[k]),
      weights: plan.weights ? Float32Array.from(order, (k) => plan.weights![k]) : undefined,
    };
  }

  observe(result: StepResult): void {
    this.inner.observe(result);
  }

  describe(): Record<string, number> {
    return this.inner.describe?.() ?? {};
  }

  state(): unknown {
    return this.inner.state();
  }

  load(state: unknown): void {
    this.inner.load(state);
  }
}
