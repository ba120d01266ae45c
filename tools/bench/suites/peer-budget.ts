import type { MethodSpec } from '@ausam/core';

/**
 * Gradient passes of an AUSAM or uniform-control run as a fraction of SAM's: `warmupEpochs` of SAM
 * on every sample, then SAM on floor(α·b) of each batch (floor ignored: b = 128, α = 0.5 is exact).
 */
export function subsetPassFraction(epochs: number, alpha: number, warmupEpochs: number): number {
  if (!(epochs >= 1 && warmupEpochs >= 0 && alpha > 0 && alpha <= 1)) {
    throw new RangeError(`subsetPassFraction: expected epochs ≥ 1, warmupEpochs ≥ 0, α in (0, 1]; found ${epochs}, ${warmupEpochs}, ${alpha}`);
  }
  const warm = Math.min(warmupEpochs, epochs);
  return (warm + (epochs - warm) * alpha) / epochs;
}

/**
 * The subset-drawing peers set to do, in expectation, the fraction `passFraction` ∈ (0.5, 1] of
 * SAM's gradient passes over an `epochs`-epoch run (SAM = 2 passes per sample; 1 = plain SGD):
 * - ESAM: a full first pass, the second on γ of the batch: (1 + γ)/2 = f (its extra forward-only
 *   pass at w + ε over the batch is not a gradient pass and shows in its time instead);
 * - SS-SAM: a SAM step with probability q, else an SGD step: (1 + q)/2 = f;
 * - LookSAM: a SAM step every k steps: (1 + 1/k)/2 = f, k rounded to an integer;
 * - InfoBatch (on SAM): no full-data tail (at a few epochs it would be a whole epoch), epoch 0 on
 *   all samples, then each below-mean sample pruned with probability r. The kept fraction is
 *   1 − r·P with P the share of below-mean losses, which the data decides; r assumes
 *   P = `belowMeanShare` and the run reports the passes it actually did.
 */
export function peersAtPassFraction(passFraction: number, epochs: number, rho: number, belowMeanShare = 0.8): MethodSpec[] {
  if (!(passFraction > 0.5 && passFraction <= 1)) {
    throw new RangeError(`peersAtPassFraction: expected a pass fraction in (0.5, 1] (SGD's 0.5 … SAM's 1), found ${passFraction}`);
  }
  if (!(epochs >= 2)) throw new RangeError(`peersAtPassFraction: InfoBatch prunes from epoch 1 on, so expected ≥ 2 epochs, found ${epochs}`);
  const extra = 2 * passFraction - 1;
  const pruneShare = (epochs * (1 - passFraction)) / (epochs - 1);
  return [
    { method: 'esam', rho, ratio: extra },
    { method: 'ss-sam', rho, ratio: extra },
    { method: 'looksam', rho, looksam: { interval: Math.max(1, Math.round(1 / extra)) } },
    { method: 'infobatch', rho, infobatch: { pruneProbability: Math.min(0.95, pruneShare / belowMeanShare), annealFraction: 1 } },
  ];
}
