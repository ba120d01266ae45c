import { Rng } from '../random/rng';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';
import { AusamReconstructionSampler as AusamSampler, samplingProbabilities } from './ausam-reconstruction-sampler';
import { uniformMixingWeight } from './uniform-mixing-schedule';

/** |observed − expected| within z binomial standard errors (plus a count of slack for tiny p). */
function expectBinomial(hits: number, trials: number, p: number, z = 4.5): void {
  const sd = Math.sqrt(trials * p * (1 - p));
  expect(Math.abs(hits - trials * p)).toBeLessThanOrEqual(z * sd + 1);
}

function stepResult(ids: number[], before: number[], after: number[]): StepResult {
  return {
    ids: Int32Array.from(ids),
    lossBefore: Float32Array.from(before),
    lossAfter: Float32Array.from(after),
    sampleGradientPasses: 2 * ids.length,
    sampleForwardPasses: 0,
    sharpnessStep: true,
  };
}

describe('samplingProbabilities', () => {
  it('follows pᵢ = (1−λ)·qᵢ/Σq + λ/N with qᵢ = β + (1−β)·minmax(sᵢ)', () => {
    const p = samplingProbabilities(Float64Array.from([0, 1, 2, 3]), 0.1, 0.5);
    const q = [0.1, 0.4, 0.7, 1.0];
    q.forEach((qi, i) => expect(p[i]).toBeCloseTo(0.5 * (qi / 2.2) + 0.5 / 4, 12));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is uniform when all scores are equal, and bounds p_max/p_min by 1/β', () => {
    expect(Array.from(samplingProbabilities(Float64Array.from([5, 5, 5]), 0.1, 0))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const p = samplingProbabilities(Float64Array.from([0, 100, 3, 7]), 0.25, 0);
    expect(Math.max(...p) / Math.min(...p)).toBeCloseTo(4, 10);
  });
});

describe('uniformMixingWeight', () => {
  it('rises linearly from 0 at the first epoch to 1 (uniform) at the last', () => {
    expect(uniformMixingWeight({ kind: 'linear' }, 0, 11)).toBe(0);
    expect(uniformMixingWeight({ kind: 'linear' }, 5, 11)).toBeCloseTo(0.5);
    expect(uniformMixingWeight({ kind: 'linear' }, 10, 11)).toBe(1);
    expect(uniformMixingWeight({ kind: 'linear', reachUniformAt: 0.5 }, 5, 11)).toBe(1);
    expect(uniformMixingWeight({ kind: 'cosine' }, 5, 11)).toBeCloseTo(0.5);
    expect(uniformMixingWeight({ kind: 'none' }, 10, 11)).toBe(0);
  });
});

describe('AusamReconstructionSampler', () => {
  it('scores |ℓ(w+ε) − ℓ(w)| as a running mean, ignoring unmeasured samples', () => {
    const sampler = new AusamSampler({ size: 4 });
    sampler.observe(stepResult([0, 1], [1, 2], [1.5, 1]));
    sampler.observe(stepResult([0, 2], [1, 0], [0.5, Number.NaN]));
    expect(Array.from(sampler.scores.scores)).toEqual([0.5, 1, 0, 0]);
    expect(Array.from(sampler.scores.counts)).toEqual([2, 1, 0, 0]);
    // never-scored samples take the maximum score, so they are visited early
    expect(Array.from(sampler.scores.filled('max'))).toEqual([0.5, 1, 1, 1]);
  });

  it('draws each batch position with frequency pᵢ/Σ_batch p (k = 1, many draws)', () => {
    const size = 6;
    const sampler = new AusamSampler({ size, ratio: 1 / 6, floor: 0.2 });
    sampler.observe(stepResult([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0], [0, 0.1, 0.2, 0.4, 0.8, 1.6]));
    const rng = new Rng(3);
    sampler.planEpoch(0, 10, rng);
    const p = sampler.selectionProbabilities();
    const ids = Int32Array.from([5, 1, 3, 0, 2, 4]);
    const batchP = Array.from(ids, (id) => p[id]);
    const total = batchP.reduce((a, b) => a + b, 0);
    const trials = 20000;
    const hits = new Array(size).fill(0);
    for (let t = 0; t < trials; t++) {
      const { positions } = sampler.selectInBatch(ids, undefined, rng);
      expect(positions.length).toBe(1);
      hits[positions[0]]++;
    }
    hits.forEach((h, position) => expectBinomial(h, trials, batchP[position] / total));
  });

  it('keeps round(r·b) distinct positions per batch', () => {
    const sampler = new AusamSampler({ size: 100, ratio: 0.55 });
    sampler.planEpoch(0, 5, new Rng(1));
    const { positions } = sampler.selectInBatch(Int32Array.from({ length: 40 }, (_, i) => i), undefined, new Rng(2));
    expect(positions.length).toBe(22);
    expect(new Set(positions).size).toBe(22);
  });

  it('per-epoch Bernoulli mode keeps sample i with probability min(1, r·N·pᵢ)', () => {
    const size = 8;
    const sampler = new AusamSampler({ size, ratio: 0.5, floor: 0.1, selection: 'perEpochBernoulli' });
    sampler.observe(stepResult([0, 1, 2, 3, 4, 5, 6, 7], new Array(8).fill(0), [0, 0, 0, 0, 1, 1, 2, 4]));
    const rng = new Rng(9);
    const trials = 4000;
    const kept = new Array(size).fill(0);
    for (let t = 0; t < trials; t++) for (const id of sampler.planEpoch(0, 10, rng).ids) kept[id]++;
    const p = sampler.selectionProbabilities();
    kept.forEach((k, i) => expectBinomial(k, trials, Math.min(1, 0.5 * size * p[i])));
  });

  it('samples uniformly at the last epoch whatever the scores', () => {
    const sampler = new AusamSampler({ size: 5 });
    sampler.observe(stepResult([0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [9, 0, 1, 0, 3]));
    sampler.planEpoch(0, 4, new Rng(1));
    expect(sampler.describe().probabilityMaxOverMin).toBeCloseTo(10);
    sampler.planEpoch(3, 4, new Rng(1));
    Array.from(sampler.selectionProbabilities()).forEach((p) => expect(p).toBeCloseTo(0.2, 12));
    expect(sampler.describe().uniformMixing).toBe(1);
  });

  it('importance weights are 1/(N·pᵢ) normalised to mean 1 over the kept set', () => {
    const sampler = new AusamSampler({ size: 4, ratio: 1, importanceWeighting: true, floor: 0.5 });
    sampler.observe(stepResult([0, 1, 2, 3], [0, 0, 0, 0], [0, 0, 0, 1]));
    sampler.planEpoch(0, 3, new Rng(1));
    const p = sampler.selectionProbabilities();
    const { weights } = sampler.selectInBatch(Int32Array.from([0, 3]), undefined, new Rng(1));
    const raw = [1 / (4 * p[0]), 1 / (4 * p[3])];
    const mean = (raw[0] + raw[1]) / 2;
    expect(weights![0]).toBeCloseTo(raw[0] / mean, 6);
    expect(weights![1]).toBeCloseTo(raw[1] / mean, 6);
  });

  it('restores its scores and probabilities from state()', () => {
    const a = new AusamSampler({ size: 3 });
    a.observe(stepResult([0, 1], [0, 0], [1, 2]));
    a.planEpoch(0, 3, new Rng(4));
    const b = new AusamSampler({ size: 3 });
    b.load(JSON.parse(JSON.stringify(a.state())));
    expect(Array.from(b.selectionProbabilities())).toEqual(Array.from(a.selectionProbabilities()));
    expect(Array.from(b.scores.counts)).toEqual([1, 1, 0]);
  });

  it('rejects a ratio outside (0, 1]', () => {
    expect(() => new AusamSampler({ size: 3, ratio: 1.5 })).toThrow(/ratio must be in \(0, 1\], found 1.5/);
  });
});
