import { AusamSampler, FullDataSampler, Rng, type StepResult } from '@ausam/core';
import { observingSampler } from './observing-sampler';

const result = (ids: number[]): StepResult => ({
  ids: Int32Array.from(ids),
  lossBefore: new Float32Array(ids.length).fill(1),
  lossAfter: new Float32Array(ids.length).fill(1.5),
  sampleGradientPasses: 2 * ids.length,
  sampleForwardPasses: 0,
  sharpnessStep: true,
});

describe('observingSampler', () => {
  it("reports each step's trained ids with its epoch and leaves the sampler's decisions unchanged", () => {
    const plain = new AusamSampler({ size: 8, ratio: 0.5, transitionEpochs: 0 });
    const inner = new AusamSampler({ size: 8, ratio: 0.5, transitionEpochs: 0 });
    const seen: [number, number[]][] = [];
    const wrapped = observingSampler(inner, (epoch, r) => seen.push([epoch, Array.from(r.ids)]));
    const [ra, rb] = [new Rng(4), new Rng(4)];
    for (const s of [plain, wrapped]) s.planEpoch(0, 2, s === plain ? ra : rb);
    plain.observe(result([0, 1, 2, 3, 4, 5, 6, 7]));
    wrapped.observe(result([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(Array.from(wrapped.planEpoch(1, 2, rb).ids)).toEqual(Array.from(plain.planEpoch(1, 2, ra).ids));
    const ids = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(wrapped.selectInBatch!(ids, undefined, rb).positions)).toEqual(Array.from(plain.selectInBatch(ids, undefined, ra).positions));
    wrapped.observe(result([2, 5]));
    expect(seen).toEqual([
      [0, [0, 1, 2, 3, 4, 5, 6, 7]],
      [1, [2, 5]],
    ]);
    expect(wrapped.name).toBe('ausam');
    expect(wrapped.state()).toEqual(inner.state());
  });

  it('keeps an absent selectInBatch absent (the trainer then trains whole batches)', () => {
    const wrapped = observingSampler(new FullDataSampler(4), () => {});
    expect(wrapped.selectInBatch).toBeUndefined();
  });
});
