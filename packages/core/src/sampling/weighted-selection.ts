import type { Rng } from '../random/rng';

/**
 * k distinct positions drawn without replacement with probability proportional to `weights`
 * (successive sampling, via Efraimidis & Spirakis 2006 keys u^(1/w)); ascending.
 */
export function weightedSampleWithoutReplacement(weights: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  const n = weights.length;
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0)) throw new RangeError(`weighted sampling: weight ${i} is ${w}, expected ≥ 0`);
    // log(u)/w is monotone in u^(1/w) and keeps precision for small weights.
    keys[i] = w > 0 ? Math.log(1 - rng.next()) / w : -Infinity;
  }
  // Zero weights (AUSAM with fMin = 0) share the key −∞: their NaN difference falls back to id order.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
  return Int32Array.from(order.slice(0, k)).sort();
}

/** All ids 0..n-1 in a fresh random order. */
export function shuffledIds(n: number, rng: Rng): Int32Array {
  return rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
}
