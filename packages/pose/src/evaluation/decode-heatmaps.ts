import type { Size } from '../transforms/affine';
import { cropTransform, invertAffine, transformPoints } from '../transforms/affine';

/** Joint estimates read off heatmaps. */
export interface DecodedJoints {
  /** [N·K·2] heatmap-pixel coordinates (x, y). */
  readonly coords: Float32Array;
  /** [N·K] heatmap value at the argmax — the joint's confidence. */
  readonly maxValues: Float32Array;
}

/**
 * HRNet's `get_final_preds` decoding (Sun et al. 2019; Newell et al. 2016): per joint take the argmax
 * pixel (p = 0 when the maximum ≤ 0), then move a quarter pixel toward the higher neighbour on each
 * axis, p ← p + 0.25·sign(H(p+1) − H(p−1)), which halves the expected quantisation error.
 * HRNet skips the offset for pixels 0 and 1 and the last; we skip it only where a neighbour is missing.
 * @param heatmaps [N, H, W, K] row-major (NHWC)
 */
export function decodeHeatmaps(heatmaps: Float32Array, n: number, size: Size, k: number): DecodedJoints {
  const { width: W, height: H } = size;
  if (heatmaps.length !== n * H * W * k) {
    throw new RangeError(`decodeHeatmaps: expected ${n}×${H}×${W}×${k} = ${n * H * W * k} values, found ${heatmaps.length}`);
  }
  const coords = new Float32Array(n * k * 2);
  const maxValues = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const base = i * H * W * k;
    for (let j = 0; j < k; j++) {
      let best = -Infinity;
      let bestIndex = 0;
      for (let p = 0; p < H * W; p++) {
        const value = heatmaps[base + p * k + j];
        if (value > best) {
          best = value;
          bestIndex = p;
        }
      }
      maxValues[i * k + j] = best;
      if (!(best > 0)) continue;
      let x = bestIndex % W;
      let y = Math.floor(bestIndex / W);
      const at = (u: number, v: number) => heatmaps[base + (v * W + u) * k + j];
      if (x > 0 && x < W - 1) x += 0.25 * Math.sign(at(x + 1, y) - at(x - 1, y));
      if (y > 0 && y < H - 1) {
        const column = bestIndex % W;
        y += 0.25 * Math.sign(at(column, y + 1) - at(column, y - 1));
      }
      coords[2 * (i * k + j)] = x;
      coords[2 * (i * k + j) + 1] = y;
    }
  }
  return { coords, maxValues };
}

/**
 * Maps heatmap coordinates back to original-image pixels (HRNet `transform_preds`): the inverse of the
 * unrotated crop transform of each sample's box at heatmap resolution.
 * @param coords [N·K·2] heatmap pixels; centers, scales: [N·2]
 */
export function heatmapToImageCoordinates(
  coords: Float32Array,
  centers: Float32Array,
  scales: Float32Array,
  heatmapSize: Size,
): Float32Array {
  const n = centers.length / 2;
  const perSample = coords.length / n;
  const out = new Float32Array(coords.length);
  for (let i = 0; i < n; i++) {
    const toImage = invertAffine(
      cropTransform([centers[2 * i], centers[2 * i + 1]], [scales[2 * i], scales[2 * i + 1]], 0, heatmapSize),
    );
    out.set(transformPoints(toImage, coords.subarray(i * perSample, (i + 1) * perSample)), i * perSample);
  }
  return out;
}
