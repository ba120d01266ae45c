import { combinedMoments, momentPartials, sliceMoments } from './batch-norm-channels';

/** Mean and biased variance of each column of `rows` in float64, two passes. */
function twoPass(rows: number[][]): { mean: number[]; variance: number[] } {
  const channels = rows[0].length;
  const mean = [...Array(channels).keys()].map((c) => rows.reduce((sum, row) => sum + row[c], 0) / rows.length);
  const variance = mean.map((mu, c) => rows.reduce((sum, row) => sum + (row[c] - mu) ** 2, 0) / rows.length);
  return { mean, variance };
}

describe('combinedMoments', () => {
  it.each([0, 1e3])('gives the whole batch’s mean and variance from three slices’ counts, means and M2 (offset %d)', (offset) => {
    // Quarters in slices of 1, 2 and 4 rows: every slice's mean and M2 is exact in float32, so the
    // check measures the combination alone. With the offset, |μ|/σ ≈ 1e3.
    const slices = [2, 4, 1].map((size, k) => Array.from({ length: size }, (_, i) => [offset + ((3 * k + 5 * i) % 7) / 4, offset - 7 + ((k + 3 * i) % 5) / 4]));
    const sums = new Float64Array(5);
    for (const rows of slices) {
      const { mean, variance } = twoPass(rows);
      const m2 = variance.map((v) => v * rows.length);
      sums.forEach((_, j) => (sums[j] += momentPartials(Float32Array.from(mean), Float32Array.from(m2), rows.length)[j]));
    }
    const whole = twoPass(slices.flat());
    const firstMean = Float32Array.from(twoPass(slices[0]).mean);
    const combined = combinedMoments(sums, firstMean);
    expect(combined.count).toBe(7);
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(combined.mean[c] - whole.mean[c])).toBeLessThan(1e-15 * Math.max(1, Math.abs(whole.mean[c])));
      // float64 cancellation: about 1e-16·(μ/σ)² relative.
      expect(Math.abs(combined.variance[c] - whole.variance[c]) / whole.variance[c]).toBeLessThan(offset === 0 ? 1e-12 : 1e-9);
      expect(combined.shift[c]).toBeCloseTo(firstMean[c] - combined.mean[c], 12);
    }
  });

  it('of one slice equals the slice’s own moments, with no shift', () => {
    const mean = Float32Array.of(1.5, -2);
    const m2 = Float32Array.of(4, 0.5);
    const one = sliceMoments(mean, m2, 4);
    const combined = combinedMoments(momentPartials(mean, m2, 4), mean);
    expect([...combined.mean]).toEqual([...one.mean]);
    combined.variance.forEach((v, c) => expect(v).toBeCloseTo(one.variance[c], 12));
    expect([...combined.shift]).toEqual([0, 0]);
  });
});
