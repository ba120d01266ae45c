import type { Size } from '../transforms/affine';

/** SimCC's label space: every input pixel split into `splitRatio` bins per axis, Gaussian-smoothed labels. */
export interface SimccEncoding {
  /** Model input (crop) size in pixels. */
  readonly inputSize: Size;
  /** Bins per pixel, k (SimCC's "splitting factor"; 2 in the paper's main settings). */
  readonly splitRatio: number;
  /** Label σ in bins (mmpose's `SimCCLabel.sigma`; 6 for MPII 256×256 at k = 2 in the SimCC configs). */
  readonly sigma: number;
}

/** Default label σ in bins: mmpose's `SimCCLabel` default and the SimCC authors' MPII 256×256 setting at k = 2. */
export const DEFAULT_SIMCC_SIGMA = 6;

/** The number of x and y bins, round(W·k) and round(H·k). */
export function simccBinCounts(inputSize: Size, splitRatio: number): { readonly x: number; readonly y: number } {
  if (!(splitRatio > 0)) throw new RangeError(`SimCC: split ratio must be positive, found ${splitRatio}`);
  return { x: Math.round(inputSize.width * splitRatio), y: Math.round(inputSize.height * splitRatio) };
}

/** Where one sample's labels go: x labels at `x[xOffset + j·Wb + b]`, y labels likewise, weights at `weights[weightOffset + j]`. */
export interface SimccLabelSlots {
  readonly x: Float32Array;
  readonly xOffset: number;
  readonly y: Float32Array;
  readonly yOffset: number;
  readonly weights: Float32Array;
  readonly weightOffset: number;
}

/**
 * Writes one sample's SimCC labels (Li et al. 2022, §3, "Gaussian label smoothing"; the authors'
 * `generate_sa_simdr`): for joint j at input pixel (x_j, y_j), the 1-D labels over bins b are
 * t_x(b) = exp(−(b − k·x_j)² / 2σ²) / (σ√(2π)) and likewise for y, over the whole axis (not truncated).
 * The centre k·x_j is kept sub-bin (the authors' code; mmpose rounds it). Weight w_j = 0 (and labels 0)
 * when the joint is not annotated or its ±3σ window misses the bins of either axis (mmpose's test),
 * else `jointWeights[j]` (1 by default). The label slices must be zero on entry.
 * @param jointsInInput [K·2] input-crop pixels; visibility [K]
 */
export function encodeSimccLabels(
  jointsInInput: Float32Array,
  visibility: Float32Array,
  encoding: SimccEncoding,
  slots: SimccLabelSlots,
  jointWeights?: readonly number[],
): void {
  const { splitRatio, sigma } = encoding;
  const bins = simccBinCounts(encoding.inputSize, splitRatio);
  const K = visibility.length;
  const radius = 3 * sigma;
  const twoSigmaSq = 2 * sigma * sigma;
  const norm = sigma * Math.sqrt(2 * Math.PI);
  for (let j = 0; j < K; j++) {
    slots.weights[slots.weightOffset + j] = 0;
    if (visibility[j] <= 0) continue;
    const muX = jointsInInput[2 * j] * splitRatio;
    const muY = jointsInInput[2 * j + 1] * splitRatio;
    if (muX - radius >= bins.x || muY - radius >= bins.y || muX + radius + 1 < 0 || muY + radius + 1 < 0) continue;
    slots.weights[slots.weightOffset + j] = jointWeights?.[j] ?? 1;
    for (let b = 0; b < bins.x; b++) slots.x[slots.xOffset + j * bins.x + b] = Math.exp(-((b - muX) ** 2) / twoSigmaSq) / norm;
    for (let b = 0; b < bins.y; b++) slots.y[slots.yOffset + j * bins.y + b] = Math.exp(-((b - muY) ** 2) / twoSigmaSq) / norm;
  }
}
