import { Rng } from './rng';

describe('Rng', () => {
  it('repeats the same stream from the same seed and from a saved state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(first);
    const saved = a.state();
    const next = a.next();
    const restored = new Rng(saved);
    expect(restored.next()).toBe(next);
  });

  it('draws uniform floats with mean ~1/2 and integers in range', () => {
    const rng = new Rng(7);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += rng.next();
    // 5 standard errors of a U(0,1) mean: sqrt(1/12/n)
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3);
      expect(k >= 0 && k < 3 && Number.isInteger(k)).toBe(true);
    }
  });

  it('shuffles into a permutation', () => {
    const items = Int32Array.from({ length: 50 }, (_, i) => i);
    new Rng(1).shuffle(items);
    expect(Array.from(items).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(items)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
