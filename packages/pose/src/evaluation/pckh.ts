/** PCKh result: percentages. */
export interface PckhResult {
  /** Count-weighted mean over joints, excluding `excludeFromMean` (MPII: pelvis and thorax), in %. */
  readonly mean: number;
  /** Per joint, in % (NaN for a joint never annotated). */
  readonly perJoint: readonly number[];
  /** Annotated joints per joint index. */
  readonly counts: readonly number[];
}

/** MPII joints left out of the reported mean, as in HRNet's `mpii.py` evaluate (pelvis 6, thorax 7). */
export const MPII_MEAN_EXCLUDED_JOINTS: readonly number[] = [6, 7];

/**
 * PCKh@α (Andriluka et al. 2014): a joint is correct when ‖p̂ − p‖₂ ≤ α · headSize, counted over
 * annotated joints only. `mean` weights each joint by how often it is annotated and leaves out
 * `excludeFromMean`, matching the "Mean" column of HRNet's MPII table.
 * @param predicted, groundTruth [N·K·2] image pixels; visibility [N·K]; headSizes [N] pixels
 */
export function computePckh(
  predicted: Float32Array,
  groundTruth: Float32Array,
  visibility: Float32Array,
  headSizes: Float32Array,
  options: { threshold?: number; excludeFromMean?: readonly number[] } = {},
): PckhResult {
  const alpha = options.threshold ?? 0.5;
  const n = headSizes.length;
  const k = visibility.length / n;
  const hits = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const index = i * k + j;
      if (visibility[index] <= 0) continue;
      counts[j]++;
      const error = Math.hypot(predicted[2 * index] - groundTruth[2 * index], predicted[2 * index + 1] - groundTruth[2 * index + 1]);
      if (error <= alpha * headSizes[i]) hits[j]++;
    }
  }
  const perJoint = counts.map((count, j) => (count > 0 ? (100 * hits[j]) / count : NaN));
  const excluded = new Set(options.excludeFromMean ?? []);
  let meanHits = 0;
  let meanCount = 0;
  for (let j = 0; j < k; j++) {
    if (excluded.has(j)) continue;
    meanHits += hits[j];
    meanCount += counts[j];
  }
  return { mean: meanCount > 0 ? (100 * meanHits) / meanCount : NaN, perJoint, counts };
}
