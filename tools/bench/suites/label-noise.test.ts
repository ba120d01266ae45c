import type { StepResult } from '@ausam/core';
import { parseBenchArguments } from '../bench-arguments';
import { labelNoiseSuite } from './label-noise';
import { NoisyShareCounter } from './noisy-share-counter';

const trained = (ids: number[]): StepResult => ({
  ids: Int32Array.from(ids),
  lossBefore: new Float32Array(ids.length),
  lossAfter: new Float32Array(ids.length),
  sampleGradientPasses: 2 * ids.length,
  sampleForwardPasses: 0,
  sharpnessStep: true,
});

describe('label-noise suite', () => {
  it('counts the noisy share of trained samples from epoch 1 on, and in the last epoch', () => {
    const counter = new NoisyShareCounter(Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0]));
    counter.observe(0, trained([0, 1, 2, 3, 4, 5, 6, 7])); // the full first epoch is not counted
    expect(counter.metrics()).toEqual({});
    counter.observe(1, trained([0, 3, 5])); // 2 of 3
    counter.observe(2, trained([1, 3])); // 1 of 2
    counter.observe(2, trained([4, 6])); // 0 of 2
    expect(counter.metrics()).toEqual({
      'noisy share of trained samples, epochs 2+': 3 / 7,
      'noisy share of trained samples, last epoch': 1 / 4,
    });
  });

  it("runs sgd, sam, ausam, uniform and InfoBatch at AUSAM's pass budget, 3 seeds", () => {
    const suite = labelNoiseSuite(0.4);
    // 15 epochs: AUSAM does (1 + 14·0.5)/15 of SAM's passes; InfoBatch must prune 15·(1 − 8/15)/14 = 0.5 of the set from epoch 2
    const methods = suite.methods(false);
    expect(methods.map((m) => m.method)).toEqual(['sgd', 'sam', 'ausam', 'uniform', 'infobatch']);
    // below-mean share 0.8·(1 − 0.4) = 0.48: r = 0.5/0.48 > 1, capped at 0.95 (peersAtPassFraction)
    expect(methods[4].infobatch?.pruneProbability).toBe(0.95);
    // the clean control keeps the classification suite's calibration
    expect(labelNoiseSuite(0).methods(false)[4].infobatch?.pruneProbability).toBeCloseTo(0.625, 12);
    expect(suite.seeds(false)).toEqual([1, 2, 3]);
    expect(suite.methods(false, 1).map((m) => m.method)).toEqual(['sgd', 'sam', 'ausam', 'uniform']);
    expect(suite.describe(false)).toMatch(/^Fashion-MNIST first 10000 train images with 40% symmetric label noise .* 10000 clean test images, resnet-small, 15 epochs/);
  });

  it('takes --noise as its rate (0: the clean control) and passes it on to --jobs children', () => {
    const args = parseBenchArguments(['label-noise', '--noise', '0', '--quick']);
    expect(args.suite.describe(true)).toMatch(/with 0% symmetric label noise/);
    expect(args.suiteArgs).toEqual(['--noise', '0']);
    expect(parseBenchArguments(['label-noise']).suiteArgs).toEqual([]);
    expect(() => parseBenchArguments(['label-noise', '--noise', '1'])).toThrow("bench --noise: expected a rate in [0, 1), found '1'");
    expect(() => parseBenchArguments(['pose', '--noise', '0.2'])).toThrow("bench --noise: suite 'pose' has no label-noise setting");
  });
});
