/**
 * Samples of a batch of `batchSize` that get SAM's two passes: k = floor(α·b) as in ajiaaa/AUSAM
 * (`sampledata_index`: `int(alpha * datalen)`), but at least 1 so a short last batch still trains.
 */
export function subsetSize(ratio: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(ratio * batchSize)));
}

/** Checks a subset ratio α ∈ (0, 1]. */
export function checkSubsetRatio(owner: string, ratio: number): void {
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`${owner}: ratio α must be in (0, 1], found ${ratio}`);
}

/** Checks a warm-up length (whole epochs ≥ 0). */
export function checkWarmupEpochs(owner: string, warmupEpochs: number): void {
  if (!(Number.isInteger(warmupEpochs) && warmupEpochs >= 0)) {
    throw new RangeError(`${owner}: warmupEpochs must be a whole number ≥ 0, found ${warmupEpochs}`);
  }
}
