import type { Size } from '../transforms/affine';

/**
 * Default Gaussian σ for a heatmap: 2 px at HRNet's 64×48 COCO heatmaps, scaled with the heatmap
 * height (σ = 2·H/64, so 3 at 96×72 as HRNet uses for 384×288 inputs, 2 at MPII's 64×64).
 */
export function defaultSigma(heatmapSize: Size): number {
  return (2 * heatmapSize.height) / 64;
}

export interface HeatmapEncoding {
  readonly inputSize: Size;
  readonly heatmapSize: Size;
  readonly sigma: number;
  /**
   * 'subpixel' (default) centers the Gaussian at the exact joint position x/stride, so argmax +
   * quarter-offset decoding recovers it within 0.25 px; 'hrnet' rounds the center to the nearest pixel
   * first, as HRNet's `generate_target` does.
   */
  readonly center?: 'subpixel' | 'hrnet';
}

/**
 * Writes one sample's target heatmaps (Tompson et al. 2014; HRNet `generate_target`):
 * H_j(u, v) = exp(−((u − x_j/s)² + (v − y_j/s)²) / 2σ²) inside a window of ±3σ, 0 elsewhere, where
 * s = input width / heatmap width. Layout NHWC: `target[offset + (v·W + u)·K + j]` (the slice must be
 * zero on entry). Writes the target weight w_j into `weights[weightOffset + j]`: 0 when the joint is not
 * annotated or its window misses the heatmap entirely, else `jointWeights[j]` (1 by default).
 */
export function encodeGaussianHeatmaps(
  jointsInInput: Float32Array,
  visibility: Float32Array,
  encoding: HeatmapEncoding,
  target: Float32Array,
  offset: number,
  weights: Float32Array,
  weightOffset: number,
  jointWeights?: readonly number[],
): void {
  const { inputSize, heatmapSize, sigma } = encoding;
  const K = visibility.length;
  const W = heatmapSize.width;
  const H = heatmapSize.height;
  const strideX = inputSize.width / W;
  const strideY = inputSize.height / H;
  const radius = 3 * sigma;
  const twoSigmaSq = 2 * sigma * sigma;
  for (let j = 0; j < K; j++) {
    weights[weightOffset + j] = 0;
    if (visibility[j] <= 0) continue;
    let muX = jointsInInput[2 * j] / strideX;
    let muY = jointsInInput[2 * j + 1] / strideY;
    const roundedX = Math.floor(muX + 0.5);
    const roundedY = Math.floor(muY + 0.5);
    // HRNet's visibility test: the (2·3σ+1)-wide window around the rounded center touches the map.
    if (roundedX - radius >= W || roundedY - radius >= H || roundedX + radius + 1 < 0 || roundedY + radius + 1 < 0) continue;
    if (encoding.center === 'hrnet') {
      muX = roundedX;
      muY = roundedY;
    }
    weights[weightOffset + j] = jointWeights?.[j] ?? 1;
    const u0 = Math.max(0, Math.ceil(muX - radius));
    const u1 = Math.min(W - 1, Math.floor(muX + radius));
    const v0 = Math.max(0, Math.ceil(muY - radius));
    const v1 = Math.min(H - 1, Math.floor(muY + radius));
    for (let v = v0; v <= v1; v++) {
      const dy = v - muY;
      for (let u = u0; u <= u1; u++) {
        const dx = u - muX;
        target[offset + (v * W + u) * K + j] = Math.exp(-(dx * dx + dy * dy) / twoSigmaSq);
      }
    }
  }
}
