import { Rng } from '@ausam/core';

/** Symmetric label noise: `rate` of the samples get another class, chosen with `seed`. */
export interface LabelNoiseConfig {
  /** Share of samples whose label is replaced, in [0, 1): exactly round(rate·N) of N. */
  readonly rate: number;
  /** Seed of the noise alone (which samples, which classes), independent of the run's seed. */
  readonly seed: number;
}

/** Labels after {@link symmetricLabelNoise}, and which samples it changed. */
export interface NoisyLabels {
  /** The new labels (a copy; the input is left as is). */
  readonly labels: Int32Array;
  /** Ids whose label was replaced, ascending. */
  readonly noisyIds: Int32Array;
  /** 1 where the label was replaced, 0 elsewhere (by id). */
  readonly isNoisy: Uint8Array;
}

/**
 * Symmetric label noise (as in Foret et al. 2021's noisy-CIFAR runs): exactly round(rate·N) samples,
 * drawn without replacement, each get a class drawn uniformly among the K − 1 classes other than
 * its own — never their true class. All draws come from `Rng(seed)`: the first round(rate·N) ids of
 * a Fisher–Yates shuffle of 0…N−1 are the noisy ones; then, by ascending id, each new class is
 * (y + 1 + int(K − 1)) mod K. The same (labels, numClasses, rate, seed) give the same labels on any
 * machine (`tools/parity` exports them for PyTorch).
 */
export function symmetricLabelNoise(labels: Int32Array, numClasses: number, config: LabelNoiseConfig): NoisyLabels {
  const { rate, seed } = config;
  if (!(Number.isFinite(rate) && rate >= 0 && rate < 1)) throw new RangeError(`labelNoise.rate: expected a share in [0, 1), found ${rate}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`labelNoise.seed: expected an integer, found ${seed}`);
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) {
    throw new RangeError(`labelNoise: needs at least 2 classes to draw another one, found ${numClasses}`);
  }
  const n = labels.length;
  labels.forEach((y, i) => {
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) throw new RangeError(`labelNoise: label ${i} is ${y}, expected 0…${numClasses - 1}`);
  });
  const rng = new Rng(seed);
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const noisyIds = order.slice(0, Math.round(rate * n)).sort();
  const noisy = Int32Array.from(labels);
  const isNoisy = new Uint8Array(n);
  for (const id of noisyIds) {
    noisy[id] = (labels[id] + 1 + rng.int(numClasses - 1)) % numClasses;
    isNoisy[id] = 1;
  }
  return { labels: noisy, noisyIds, isNoisy };
}
