/**
 * AUSAM's selection probabilities for one mini-batch (ajiaaa/AUSAM, `AUSAM.normalize_to_0_1_then_
 * convert_to_probability`): the batch's live ADLP values a₁..a_b are rescaled min–max into
 * [fMin, fMax], sⱼ = fMin + (aⱼ − min a)/(max a − min a)·(fMax − fMin), and pⱼ = sⱼ / Σ s.
 * So p_max/p_min = fMax/fMin. A batch whose values are all equal gets uniform probabilities (the
 * authors' code divides 0 by 0 there; docs/algorithm.md, "deviations").
 */
export function ausamBatchProbabilities(adlp: ArrayLike<number>, fMin: number, fMax: number): Float64Array {
  const n = adlp.length;
  if (n === 0) throw new RangeError('ausamBatchProbabilities: expected at least one ADLP value, found none');
  if (!(fMin > 0 && fMax >= fMin && Number.isFinite(fMax))) {
    throw new RangeError(`ausamBatchProbabilities: expected 0 < fMin ≤ fMax, found fMin ${fMin}, fMax ${fMax}`);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const a = adlp[j];
    if (!Number.isFinite(a)) throw new RangeError(`ausamBatchProbabilities: ADLP ${j} is ${a}, expected a finite number`);
    if (a < min) min = a;
    if (a > max) max = a;
  }
  const range = max - min;
  if (range === 0) return new Float64Array(n).fill(1 / n);
  const scaled = Float64Array.from({ length: n }, (_, j) => fMin + ((adlp[j] - min) / range) * (fMax - fMin));
  const total = scaled.reduce((sum, s) => sum + s, 0);
  return scaled.map((s) => s / total);
}
