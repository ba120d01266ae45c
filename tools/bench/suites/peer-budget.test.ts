import { methodLabel } from '../run-methods';
import { peersAtPassFraction, subsetPassFraction } from './peer-budget';

describe('subsetPassFraction', () => {
  it('is (warm-up + (E − warm-up)·α)/E', () => {
    expect(subsetPassFraction(4, 0.5, 1)).toBeCloseTo(0.625, 12);
    expect(subsetPassFraction(12, 0.5, 1)).toBeCloseTo(6.5 / 12, 12);
    expect(subsetPassFraction(1, 0.5, 1)).toBe(1);
    expect(subsetPassFraction(3, 0.5, 0)).toBe(0.5);
  });

  it('rejects a bad α', () => {
    expect(() => subsetPassFraction(4, 0, 1)).toThrow(/α in \(0, 1\]; found 4, 1, 0/);
  });
});

describe('peersAtPassFraction', () => {
  it('gives the 4-epoch suite γ = q = 0.25, k = 4 and r = 0.5/P', () => {
    const [esam, ssSam, lookSam, infoBatch] = peersAtPassFraction(0.625, 4, 0.05);
    expect(esam).toEqual({ method: 'esam', rho: 0.05, ratio: 0.25 });
    expect(ssSam).toEqual({ method: 'ss-sam', rho: 0.05, ratio: 0.25 });
    expect(lookSam).toEqual({ method: 'looksam', rho: 0.05, looksam: { interval: 4 } });
    expect(infoBatch.infobatch!.annealFraction).toBe(1);
    expect(infoBatch.infobatch!.pruneProbability).toBeCloseTo(0.5 / 0.8, 12);
  });

  it('each peer’s expected passes equal the budget', () => {
    const f = 0.7;
    const epochs = 5;
    const share = 0.75;
    const [esam, ssSam, , infoBatch] = peersAtPassFraction(f, epochs, 0.05, share);
    expect((1 + esam.ratio!) / 2).toBeCloseTo(f, 12);
    expect((1 + ssSam.ratio!) / 2).toBeCloseTo(f, 12);
    const kept = 1 - infoBatch.infobatch!.pruneProbability! * share;
    expect((1 + (epochs - 1) * kept) / epochs).toBeCloseTo(f, 12);
  });

  it('labels each peer with its budget setting', () => {
    expect(peersAtPassFraction(0.625, 4, 0.05).map(methodLabel)).toEqual(['esam@0.25', 'ss-sam@0.25', 'looksam/4', 'infobatch@0.625']);
  });

  it('rejects a budget at or below SGD’s', () => {
    expect(() => peersAtPassFraction(0.5, 4, 0.05)).toThrow(/\(0.5, 1\].*found 0.5/);
  });
});
