import { symmetricLabelNoise } from './label-noise';

describe('symmetricLabelNoise', () => {
  // 1,003 labels over 10 classes: rate·N is not a whole number at 40% (401.2).
  const labels = Int32Array.from({ length: 1003 }, (_, i) => (i * 7) % 10);

  it('replaces exactly round(rate·N) labels, each by another class, and nothing else', () => {
    const { labels: noisy, noisyIds, isNoisy } = symmetricLabelNoise(labels, 10, { rate: 0.4, seed: 3 });
    expect(noisyIds).toHaveLength(401);
    expect(isNoisy.reduce((a, b) => a + b, 0)).toBe(401);
    for (let i = 0; i < labels.length; i++) {
      if (isNoisy[i]) expect(noisy[i]).not.toBe(labels[i]);
      else expect(noisy[i]).toBe(labels[i]);
      expect(noisy[i]).toBeGreaterThanOrEqual(0);
      expect(noisy[i]).toBeLessThan(10);
    }
    expect(Array.from(noisyIds)).toEqual(Array.from(isNoisy.keys()).filter((i) => isNoisy[i]));
    expect(labels[1]).toBe(7); // the input is left as is
  });

  it('draws the new class uniformly among the other K − 1 (offsets 1…9 about equally often)', () => {
    const many = new Int32Array(20000);
    const { labels: noisy } = symmetricLabelNoise(many, 10, { rate: 0.9, seed: 1 });
    const counts = new Array(10).fill(0);
    noisy.forEach((y) => counts[y]++);
    // 18,000 noisy labels, 2,000 per other class; binomial sd ≈ 42
    expect(counts[0]).toBe(2000);
    for (let k = 1; k < 10; k++) expect(Math.abs(counts[k] - 2000)).toBeLessThan(200);
  });

  it('is fixed by its seed: the same seed gives the same labels, another seed others', () => {
    const a = symmetricLabelNoise(labels, 10, { rate: 0.4, seed: 3 });
    const b = symmetricLabelNoise(labels, 10, { rate: 0.4, seed: 3 });
    const c = symmetricLabelNoise(labels, 10, { rate: 0.4, seed: 4 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(c.noisyIds)).not.toEqual(Array.from(a.noisyIds));
  });

  it('rate 0 changes nothing; bad rates, seeds and labels are refused with the value', () => {
    const none = symmetricLabelNoise(labels, 10, { rate: 0, seed: 1 });
    expect(Array.from(none.labels)).toEqual(Array.from(labels));
    expect(none.noisyIds).toHaveLength(0);
    expect(() => symmetricLabelNoise(labels, 10, { rate: 1, seed: 1 })).toThrow(/labelNoise.rate: expected a share in \[0, 1\), found 1/);
    expect(() => symmetricLabelNoise(labels, 10, { rate: 0.2, seed: 0.5 })).toThrow(/labelNoise.seed: expected an integer, found 0.5/);
    expect(() => symmetricLabelNoise(Int32Array.of(0, 10), 10, { rate: 0.5, seed: 1 })).toThrow(/label 1 is 10, expected 0…9/);
    expect(() => symmetricLabelNoise(labels, 1, { rate: 0.5, seed: 1 })).toThrow(/at least 2 classes/);
  });
});
