import { Rng } from '../random/rng';
import { InfoBatchSampler } from './info-batch-sampler';
import { UniformSubsetSampler } from './uniform-subset-sampler';
import { weightedSampleWithoutReplacement } from './weighted-selection';

describe('UniformSubsetSampler', () => {
  it('selects every batch position equally often', () => {
    const sampler = new UniformSubsetSampler(10, 0.3, 0);
    const rng = new Rng(5);
    sampler.planEpoch(0, 1, rng);
    const ids = Int32Array.from({ length: 10 }, (_, i) => i);
    const hits = new Array(10).fill(0);
    const trials = 5000;
    for (let t = 0; t < trials; t++) {
      const { positions } = sampler.selectInBatch(ids, undefined, rng);
      expect(positions.length).toBe(3);
      for (const p of positions) hits[p]++;
    }
    hits.forEach((h) => expect(Math.abs(h - 0.3 * trials)).toBeLessThan(4.5 * Math.sqrt(trials * 0.3 * 0.7)));
  });

  it('runs warm-up epochs on the whole batch, then floor(α·b) positions', () => {
    const sampler = new UniformSubsetSampler(20, 0.5, 2);
    const rng = new Rng(1);
    const ids = Int32Array.from({ length: 11 }, (_, i) => i);
    for (const epoch of [0, 1]) {
      sampler.planEpoch(epoch, 5, rng);
      expect(Array.from(sampler.selectInBatch(ids, undefined, rng).positions)).toEqual(Array.from(ids));
    }
    sampler.planEpoch(2, 5, rng);
    expect(sampler.selectInBatch(ids, undefined, rng).positions.length).toBe(5);
    expect(sampler.selectInBatch(Int32Array.from([7]), undefined, rng).positions.length).toBe(1);
  });
});

describe('InfoBatchSampler', () => {
  const losses = (sampler: InfoBatchSampler, values: number[]) =>
    sampler.observe({
      ids: Int32Array.from(values, (_, i) => i),
      lossBefore: Float32Array.from(values),
      lossAfter: new Float32Array(values.length),
      sampleGradientPasses: 0,
      sampleForwardPasses: 0,
      sharpnessStep: false,
    });

  it('prunes only below-mean samples, with probability r, and rescales the kept ones by 1/(1−r)', () => {
    const sampler = new InfoBatchSampler({ size: 4, pruneProbability: 0.5 });
    losses(sampler, [0.1, 0.2, 3, 5]); // mean 2.075: ids 0 and 1 are well learned
    const rng = new Rng(2);
    const kept = [0, 0, 0, 0];
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const plan = sampler.planEpoch(0, 100, rng);
      plan.ids.forEach((id, k) => {
        kept[id]++;
        expect(plan.weights![k]).toBe(id < 2 ? 2 : 1);
      });
    }
    expect(kept[2]).toBe(trials);
    expect(kept[3]).toBe(trials);
    for (const id of [0, 1]) expect(Math.abs(kept[id] - trials / 2)).toBeLessThan(4.5 * Math.sqrt(trials / 4));
  });

  it('trains on all data in the final annealing epochs', () => {
    const sampler = new InfoBatchSampler({ size: 4, pruneProbability: 0.9, annealFraction: 0.5 });
    losses(sampler, [0.1, 0.2, 3, 5]);
    const plan = sampler.planEpoch(5, 10, new Rng(1));
    expect(plan.ids.length).toBe(4);
    expect(Array.from(plan.weights!)).toEqual([1, 1, 1, 1]);
  });
});

describe('weightedSampleWithoutReplacement', () => {
  it('never picks zero-weight positions and returns ascending distinct positions', () => {
    const rng = new Rng(8);
    for (let t = 0; t < 200; t++) {
      const picked = weightedSampleWithoutReplacement([0, 1, 0, 2, 3], 3, rng);
      expect(Array.from(picked)).toEqual([1, 3, 4]);
    }
    expect(() => weightedSampleWithoutReplacement([1, Number.NaN], 1, rng)).toThrow(/weight 1 is NaN/);
  });
});
