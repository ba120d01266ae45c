/**
 * BatchNorm's per-channel arithmetic, in float64 on a few values per channel. As tensor ops it was
 * some 40 kernel calls per layer and pass, whose dispatch cost does not shrink with the batch.
 * Plain loops: `TypedArray.from` with a mapping function is several times slower in V8.
 */

/** The batch's per-channel moments, and this slice's mean minus the batch's (zero in one thread). */
export interface ChannelMoments {
  /** m: values per channel in the whole batch. */
  readonly count: number;
  readonly mean: Float64Array;
  /** Biased: Σ (x − μ)² / m. */
  readonly variance: Float64Array;
  /** δ = μ_r − μ. */
  readonly shift: Float64Array;
}

/** The affine map y = s·x̄_r + (β + s·δ) of the forward pass: s = γ/√(σ² + eps). */
export interface ChannelNormalization {
  readonly inverseStd: Float64Array;
  readonly scale: Float32Array;
  readonly bias: Float32Array;
}

/** One thread's moments: the slice is the batch. */
export function sliceMoments(sliceMean: Float32Array, sliceM2: Float32Array, count: number): ChannelMoments {
  const channels = sliceMean.length;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = sliceMean[c];
    variance[c] = sliceM2[c] / count;
  }
  return { count, mean, variance, shift: new Float64Array(channels) };
}

/**
 * The partial sums a slice posts to combine its moments with the other slices' in one exchange:
 * n_r·μ_r, M2_r + n_r·μ_r² (M2_r = Σ (x − μ_r)²) and n_r.
 */
export function momentPartials(sliceMean: Float32Array, sliceM2: Float32Array, sliceCount: number): Float64Array {
  const channels = sliceMean.length;
  const partial = new Float64Array(2 * channels + 1);
  for (let c = 0; c < channels; c++) {
    partial[c] = sliceCount * sliceMean[c];
    partial[channels + c] = sliceM2[c] + sliceCount * sliceMean[c] * sliceMean[c];
  }
  partial[2 * channels] = sliceCount;
  return partial;
}

/**
 * The batch's moments from the sums of every slice's {@link momentPartials}: M2 = Σ (M2_r + n_r·μ_r²)
 * − m·μ² (Chan, Golub and LeVeque's pairwise update, as PyTorch's SyncBatchNorm combines its
 * replicas). The subtraction is in float64, whose cancellation for |μ|/σ up to 1e4 stays below
 * float32's rounding.
 */
export function combinedMoments(sums: Float64Array, sliceMean: Float32Array): ChannelMoments {
  const channels = sliceMean.length;
  const count = sums[2 * channels];
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = sums[c] / count;
    variance[c] = Math.max(0, sums[channels + c] / count - mean[c] * mean[c]);
    shift[c] = sliceMean[c] - mean[c];
  }
  return { count, mean, variance, shift };
}

/** The forward affine map from the moments and γ, β. */
export function channelNormalization(moments: ChannelMoments, gamma: Float32Array, beta: Float32Array, epsilon: number): ChannelNormalization {
  const channels = gamma.length;
  const inverseStd = new Float64Array(channels);
  const scale = new Float32Array(channels);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    inverseStd[c] = 1 / Math.sqrt(moments.variance[c] + epsilon);
    scale[c] = gamma[c] * inverseStd[c];
    bias[c] = beta[c] + scale[c] * moments.shift[c];
  }
  return { inverseStd, scale, bias };
}

/** Σ dy·x̄ = Σ dy·x̄_r + δ·Σ dy, this slice's. */
export function centeredGradientSums(dySliceCentered: Float32Array, dBeta: Float32Array, shift: Float64Array): Float64Array {
  const sums = new Float64Array(dBeta.length);
  for (let c = 0; c < sums.length; c++) sums[c] = dySliceCentered[c] + shift[c] * dBeta[c];
  return sums;
}

/** dγ = Σ dy·x̄ / σ. */
export function gammaGradient(dyCentered: Float64Array, inverseStd: Float64Array): Float32Array {
  const dGamma = new Float32Array(dyCentered.length);
  for (let c = 0; c < dGamma.length; c++) dGamma[c] = dyCentered[c] * inverseStd[c];
  return dGamma;
}

/**
 * dx = s·dy + b·x̄ + c = s·dy + b·x̄_r + (c + b·δ) with b = −s·(Σ dy·x̄)/(σ²·m) and c = −s·(Σ dy)/m,
 * the sums being the whole batch's: returns b and c + b·δ.
 */
export function inputGradientTerms(
  normalization: ChannelNormalization,
  moments: ChannelMoments,
  batchDBeta: ArrayLike<number>,
  batchDyCentered: ArrayLike<number>,
): { centeredFactor: Float32Array; offset: Float32Array } {
  const { scale, inverseStd } = normalization;
  const centeredFactor = new Float32Array(scale.length);
  const offset = new Float32Array(scale.length);
  for (let c = 0; c < scale.length; c++) {
    const b = (-scale[c] * inverseStd[c] * inverseStd[c] * batchDyCentered[c]) / moments.count;
    centeredFactor[c] = b;
    offset[c] = (-scale[c] * batchDBeta[c]) / moments.count + b * moments.shift[c];
  }
  return { centeredFactor, offset };
}
