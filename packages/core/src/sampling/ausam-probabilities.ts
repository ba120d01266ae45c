/**
 * AUSAM's selection probabilities for one mini-batch (ajiaaa/AUSAM, `AUSAM.normalize_to_0_1_then_
 * convert_to_probability`): the batch's live ADLP values a₁..a_b are rescaled min–max into
 * [fMin, fMax], sⱼ = fMin + (aⱼ − min a)/(max a − min a)·(fMax − fMin), and pⱼ = sⱼ / Σ s.
 * So p_max/p_min = fMax/fMin. A batch whose values are all equal gets uniform probabilities (the
 * authors' code divides 0 by 0 there; docs/algorithm.md, "deviations").
 *
 * fMin = 0 is allowed, as `train.py` allows it: then pⱼ ∝ aⱼ − min a whatever fMax (> 0), and the
 * batch's lowest-ADLP sample has p = 0. With fMin = fMax = 0 (f_max(e) at the schedule's start) the
 * authors' `+ 1e-9` in `fmax_` gives the same pⱼ ∝ aⱼ − min a, and so does this function.
 */
export function ausamBatchProbabilities(adlp: ArrayLike<number>, fMin: number, fMax: number): Float64Array {
  const n = adlp.length;
  if (n === 0) throw new RangeError('ausamBatchProbabilities: expected at least one ADLP value, found none');
  if (!(fMin >= 0 && fMax >= fMin && Number.isFinite(fMax))) {
    throw new RangeError(`ausamBatchProbabilities: expected 0 ≤ fMin ≤ fMax, found fMin ${fMin}, fMax ${fMax}`);
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
  // fMin = fMax = 0: the limit fMax → 0⁺ (the authors' + 1e-9), p ∝ a − min a.
  const span = fMax > 0 ? fMax - fMin : 1;
  const scaled = Float64Array.from({ length: n }, (_, j) => fMin + ((adlp[j] - min) / range) * span);
  const total = scaled.reduce((sum, s) => sum + s, 0);
  return scaled.map((s) => s / total);
}
