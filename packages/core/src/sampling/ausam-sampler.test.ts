import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { buildMethod } from '../methods/build-method';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';
import { cosineSchedule } from '../optim/schedule/schedules';
import { Rng } from '../random/rng';
import { train } from '../train/trainer';
import { AdlpStore } from './adlp-store';
import { ausamBatchProbabilities } from './ausam-probabilities';
import { AusamSampler, type AusamSamplerState } from './ausam-sampler';
import { selectivityCeiling } from './selectivity-schedule';
import { subsetSize } from './subset-size';

/** |observed − expected| within z binomial standard errors (plus one count of slack). */
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

const allPositions = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('ausamBatchProbabilities', () => {
  it('rescales the batch ADLP min–max into [fMin, fMax] and normalises', () => {
    // a = [2, 4, 6, 10]: (a − 2)/8 = [0, .25, .5, 1] → s = 0.1 + u·0.4 = [0.1, 0.2, 0.3, 0.5], Σ = 1.1
    const p = ausamBatchProbabilities([2, 4, 6, 10], 0.1, 0.5);
    [0.1 / 1.1, 0.2 / 1.1, 0.3 / 1.1, 0.5 / 1.1].forEach((expected, j) => expect(p[j]).toBeCloseTo(expected, 14));
    // fMax = fMin (the first epoch after warm-up at start 0, T > 0 gives fMin + (fMax−fMin)/T; here exactly fMin): uniform
    expect(Array.from(ausamBatchProbabilities([1, 5, 3], 0.2, 0.2))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // a 3-sample case with fMax/fMin = 3: s = [0.3, 0.1, 0.2] → p = [0.5, 1/6, 1/3]
    const q = ausamBatchProbabilities([7, 1, 4], 0.1, 0.3);
    [0.5, 1 / 6, 1 / 3].forEach((expected, j) => expect(q[j]).toBeCloseTo(expected, 14));
  });

  it('gives uniform probabilities to a batch whose values are all equal, and bounds p_max/p_min by fMax/fMin', () => {
    expect(Array.from(ausamBatchProbabilities([0.3, 0.3, 0.3, 0.3], 0.1, 0.5))).toEqual([0.25, 0.25, 0.25, 0.25]);
    const p = ausamBatchProbabilities([0, 100, 3, 7, 0.5], 0.1, 0.5);
    expect(Math.max(...p) / Math.min(...p)).toBeCloseTo(5, 12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('rejects empty batches, non-finite values and fMin > fMax', () => {
    expect(() => ausamBatchProbabilities([], 0.1, 0.5)).toThrow(/at least one ADLP value/);
    expect(() => ausamBatchProbabilities([1, Number.NaN], 0.1, 0.5)).toThrow(/ADLP 1 is NaN/);
    expect(() => ausamBatchProbabilities([1, 2], 0.5, 0.1)).toThrow(/expected 0 ≤ fMin ≤ fMax, found fMin 0.5, fMax 0.1/);
    expect(() => ausamBatchProbabilities([1, 2], -0.1, 0.5)).toThrow(/found fMin -0.1/);
  });

  it('accepts fMin = 0 as train.py does: p ∝ a − min a, whatever fMax, also at fMax = 0 (the authors\' + 1e-9)', () => {
    // a = [2, 4, 6, 10]: a − 2 = [0, 2, 4, 8], Σ = 14
    const expected = [0, 2 / 14, 4 / 14, 8 / 14];
    for (const fMax of [0.5, 0.01, 0]) {
      const p = ausamBatchProbabilities([2, 4, 6, 10], 0, fMax);
      expected.forEach((e, j) => expect(p[j]).toBeCloseTo(e, 14));
    }
    expect(Array.from(ausamBatchProbabilities([3, 3], 0, 0))).toEqual([0.5, 0.5]);
  });
});

describe('selectivityCeiling (the authors’ fmax_)', () => {
  const schedule = { fMin: 0.1, fMax: 0.5, startEpoch: 0, transitionEpochs: 30 };
  it('is fMin at the start epoch, rises linearly over the transition, then stays at fMax', () => {
    expect(selectivityCeiling(schedule, 0)).toBeCloseTo(0.1, 14);
    expect(selectivityCeiling(schedule, 1)).toBeCloseTo(0.5 - (29 / 30) * 0.4, 14);
    expect(selectivityCeiling(schedule, 15)).toBeCloseTo(0.3, 14);
    expect(selectivityCeiling(schedule, 30)).toBeCloseTo(0.5, 14);
    expect(selectivityCeiling(schedule, 120)).toBeCloseTo(0.5, 14);
  });

  it('stays at fMin before a later start epoch, and jumps to fMax with no transition', () => {
    expect(selectivityCeiling({ ...schedule, startEpoch: 5 }, 2)).toBeCloseTo(0.1, 14);
    expect(selectivityCeiling({ ...schedule, startEpoch: 5 }, 20)).toBeCloseTo(0.3, 14);
    expect(selectivityCeiling({ ...schedule, transitionEpochs: 0 }, 1)).toBe(0.5);
  });
});

describe('subsetSize', () => {
  it('is floor(α·b), at least 1', () => {
    expect(subsetSize(0.5, 128)).toBe(64);
    expect(subsetSize(0.5, 127)).toBe(63);
    expect(subsetSize(0.5, 1)).toBe(1);
    expect(subsetSize(0.3, 3)).toBe(1);
    expect(subsetSize(1, 7)).toBe(7);
  });
});

describe('AdlpStore', () => {
  it('keeps sum, count and plain mean of every DLP observed', () => {
    const store = new AdlpStore(3);
    store.add([0, 1], [0.5, 2]);
    store.add([0], [1.5]);
    store.add([0, 2], [0.1, 4]);
    expect(Array.from(store.sums)).toEqual([0.5 + 1.5 + 0.1, 2, 4]);
    expect(Array.from(store.counts)).toEqual([3, 1, 1]);
    expect(store.means[0]).toBeCloseTo(2.1 / 3, 15);
    expect(Array.from(store.adlpOf([2, 1]))).toEqual([4, 2]);
    expect(store.scoredFraction()).toBe(1);
  });

  it('rejects ids out of range and non-finite DLP', () => {
    const store = new AdlpStore(2);
    expect(() => store.add([2], [1])).toThrow(/id 2 outside 0..1/);
    expect(() => store.add([0], [Number.POSITIVE_INFINITY])).toThrow(/DLP of sample 0 is Infinity/);
  });
});

describe('AusamSampler', () => {
  it('uses the authors’ defaults: α 0.5, one warm-up epoch, fMin 0.1, fMax 0.5, transition 15% of the run', () => {
    const sampler = new AusamSampler({ size: 10 });
    expect(sampler.ratio).toBe(0.5);
    expect(sampler.warmupEpochs).toBe(1);
    sampler.planEpoch(0, 200, new Rng(1));
    expect(sampler.currentSchedule()).toEqual({ fMin: 0.1, fMax: 0.5, startEpoch: 0, transitionEpochs: 30 });
  });

  it('trains every sample in warm-up epochs, then floor(α·b) per batch', () => {
    const sampler = new AusamSampler({ size: 20, warmupEpochs: 2 });
    const rng = new Rng(2);
    const ids = Int32Array.from(allPositions(9));
    for (const epoch of [0, 1]) {
      sampler.planEpoch(epoch, 10, rng);
      expect(sampler.inWarmup()).toBe(true);
      expect(Array.from(sampler.selectInBatch(ids, undefined, rng).positions)).toEqual(allPositions(9));
    }
    sampler.planEpoch(2, 10, rng);
    const { positions } = sampler.selectInBatch(ids, undefined, rng);
    expect(positions.length).toBe(4);
    expect(new Set(positions).size).toBe(4);
    expect(sampler.selectInBatch(Int32Array.from([3]), undefined, rng).positions.length).toBe(1);
  });

  it('draws each batch position with frequency p_j from the live batch ADLP (k = 1)', () => {
    const size = 6;
    const sampler = new AusamSampler({ size, ratio: 1 / 6, transitionEpochs: 1 });
    sampler.observe(stepResult(allPositions(6), [0, 0, 0, 0, 0, 0], [0, 0.1, 0.2, 0.4, 0.8, 1.6]));
    const rng = new Rng(3);
    sampler.planEpoch(1, 10, rng);
    expect(sampler.currentCeiling()).toBeCloseTo(0.5, 14);
    const ids = Int32Array.from([5, 1, 3, 0, 2, 4]);
    const p = ausamBatchProbabilities(Array.from(ids, (id) => sampler.adlp.means[id]), 0.1, 0.5);
    const trials = 20000;
    const hits = new Array(size).fill(0);
    for (let t = 0; t < trials; t++) {
      const { positions } = sampler.selectInBatch(ids, undefined, rng);
      expect(positions.length).toBe(1);
      hits[positions[0]]++;
    }
    hits.forEach((h, position) => expectBinomial(h, trials, p[position]));
  });

  it('reads ADLP values updated earlier in the same epoch', () => {
    const sampler = new AusamSampler({ size: 4, transitionEpochs: 1 });
    sampler.observe(stepResult([0, 1, 2, 3], [0, 0, 0, 0], [1, 1, 1, 1]));
    sampler.planEpoch(1, 4, new Rng(1));
    sampler.selectInBatch(Int32Array.from([0, 1, 2, 3]), undefined, new Rng(1));
    expect(sampler.describe().probabilityMaxOverMin).toBe(1);
    sampler.observe(stepResult([2], [0], [5])); // ADLP₂ = (1 + 5)/2 = 3
    sampler.selectInBatch(Int32Array.from([0, 1, 2, 3]), undefined, new Rng(1));
    expect(sampler.describe().probabilityMaxOverMin).toBeCloseTo(5, 10);
  });

  it('scores |ℓ(w+ε) − ℓ(w)| with the authors’ count semantics (first DLP: count 1)', () => {
    const sampler = new AusamSampler({ size: 3 });
    sampler.observe(stepResult([0, 1, 2], [1, 2, 3], [1.5, 1, 3]));
    sampler.observe(stepResult([1], [1], [1.25]));
    expect(Array.from(sampler.adlp.sums)).toEqual([0.5, 1.25, 0]);
    expect(Array.from(sampler.adlp.counts)).toEqual([1, 2, 1]);
    expect(Array.from(sampler.adlp.means)).toEqual([0.5, 0.625, 0]);
  });

  it('stops with the sample and both losses when the perturbed loss diverges', () => {
    const sampler = new AusamSampler({ size: 3 });
    expect(() => sampler.observe(stepResult([0, 2], [1, 2], [1.5, Number.NaN]))).toThrow(
      /AUSAM: sample 2 has ℓ\(w\) = 2 and ℓ\(w\+ε\) = NaN, expected finite losses: training diverged/,
    );
    expect(Array.from(sampler.adlp.counts)).toEqual([0, 0, 0]);
  });

  it('restores sums, counts and the schedule exactly, so draws after a resume are identical', () => {
    const make = () => new AusamSampler({ size: 8, transitionEpochs: 2 });
    const a = make();
    a.observe(stepResult(allPositions(8), new Array(8).fill(0), [0.1, 0.9, 0.3, 0.7, 0.2, 0.4, 0.8, 0.6]));
    a.planEpoch(1, 6, new Rng(1));
    a.observe(stepResult([1, 4], [0, 0], [0.3, 0.5]));
    const b = make();
    b.load(JSON.parse(JSON.stringify(a.state())));
    expect(Array.from(b.adlp.sums)).toEqual(Array.from(a.adlp.sums));
    expect(Array.from(b.adlp.counts)).toEqual(Array.from(a.adlp.counts));
    const ra = new Rng(7);
    const rb = new Rng(7);
    for (const s of [a, b]) s.planEpoch(2, 6, s === a ? ra : rb);
    expect(b.currentCeiling()).toBe(a.currentCeiling());
    const ids = Int32Array.from(allPositions(8));
    for (let t = 0; t < 5; t++) {
      expect(Array.from(b.selectInBatch(ids, undefined, rb).positions)).toEqual(Array.from(a.selectInBatch(ids, undefined, ra).positions));
    }
    // A checkpoint of another sampler, as JSON would hand it back.
    expect(() => b.load({ scores: { scores: [], counts: [] } } as unknown as AusamSamplerState)).toThrow(/expected \{ adlp/);
  });

  it('rejects α outside (0, 1], a fractional warm-up and fMin > fMax', () => {
    expect(() => new AusamSampler({ size: 3, ratio: 1.5 })).toThrow(/ratio α must be in \(0, 1\], found 1.5/);
    expect(() => new AusamSampler({ size: 3, warmupEpochs: 0.5 })).toThrow(/warmupEpochs must be a whole number/);
    expect(() => new AusamSampler({ size: 3, fMin: 0.6, fMax: 0.5 })).toThrow(/fMin 0.6, fMax 0.5/);
    expect(() => new AusamSampler({ size: 3, fMin: 0, fMax: 0 })).toThrow(/fMax > 0, found fMin 0, fMax 0/);
  });

  it('with fMin = 0 never draws a batch\'s lowest-ADLP sample while others remain', () => {
    const sampler = new AusamSampler({ size: 4, ratio: 0.5, fMin: 0, transitionEpochs: 0 });
    const rng = new Rng(5);
    sampler.planEpoch(0, 3, rng);
    sampler.observe(stepResult([0, 1, 2, 3], [1, 1, 1, 1], [1.1, 1.2, 1.3, 1.4]));
    sampler.planEpoch(1, 3, rng);
    const ids = Int32Array.from([0, 1, 2, 3]);
    for (let t = 0; t < 200; t++) expect(Array.from(sampler.selectInBatch(ids, undefined, rng).positions)).not.toContain(0);
  });
});

describe('AUSAM in the trainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs plain SAM on every sample in the warm-up epoch, scores them all, then does half the work', async () => {
    const trainSet = new TwoMoonsDataset(200, 1);
    const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05 }, trainSet.size, 3);
    const seen: number[] = [];
    const summary = await train({
      task: new TwoMoonsTask(3),
      trainSet,
      optimizer,
      sampler,
      learningRate: cosineSchedule(0.1, 3),
      epochs: 3,
      batchSize: 32,
      seed: 4,
      progress: false,
      log: () => {},
      onEpochEnd: () => {
        seen.push((sampler as AusamSampler).adlp.scoredFraction());
      },
    });
    const [warmup, second, third] = summary.history;
    expect(warmup.fractionOfSamWork).toBe(1);
    expect(warmup.sampler?.warmup).toBe(1);
    expect(seen[0]).toBe(1);
    expect(Array.from((sampler as AusamSampler).adlp.counts).every((c) => c >= 1)).toBe(true);
    // 6 batches of 32 → 16 each, and the last batch of 8 → 4: 100 of 200 samples, both passes
    expect(second.fractionOfSamWork).toBe(0.5);
    expect(third.fractionOfSamWork).toBe(0.5);
    expect(second.sampler?.warmup).toBe(0);
  });
});
