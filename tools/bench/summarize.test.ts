import { fakeRun as run } from './fake-run';
import { markdownTable, summarize } from './summarize';

describe('summarize', () => {
  const runs = [
    run('sam', 1, 0.9, 100),
    run('sam', 2, 0.8, 300),
    run('sgd', 1, 0.7, 50, { samplerSeconds: 5 }),
    run('sgd', 2, 0.9, 150, { samplerSeconds: 5 }),
  ];

  it('averages over seeds with the sample standard deviation', () => {
    const [sam, sgd] = summarize(runs);
    expect(sam.label).toBe('sam');
    expect(sam.seeds).toBe(2);
    expect(sam.headlineMean).toBeCloseTo(0.85, 12);
    // Sample std of {0.9, 0.8}: sqrt(((0.05)² + (0.05)²) / 1).
    expect(sam.headlineStd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(sgd.headlineMean).toBeCloseTo(0.8, 12);
    expect(sgd.headlineStd).toBeCloseTo(Math.sqrt(0.02), 12);
  });

  it('relates each method to SAM of the same runs', () => {
    const [sam, sgd] = summarize(runs);
    // SAM's mean time 200 s, SGD's 100 s.
    expect(sam.timeRatioToSam).toBe(1);
    expect(sgd.timeRatioToSam).toBeCloseTo(0.5, 12);
    expect(sgd.speedupOverSam).toBeCloseTo(2, 12);
    // Overhead is averaged per run: (5/50 + 5/150) / 2.
    expect(sgd.samplerOverhead).toBeCloseTo((0.1 + 1 / 30) / 2, 12);
  });

  it('has no time ratio without a SAM run, and says so in the table', () => {
    const [sgd] = summarize([run('sgd', 1, 0.7, 50)]);
    expect(sgd.timeRatioToSam).toBeNaN();
    const table = markdownTable([sgd], 'test accuracy');
    expect(table.split('\n')[2]).toBe('| sgd | 70.00 ± 0.00 | 1 | 0.5000 | 50.0 | 20 | — | — | 50.0% | 0.0% |');
  });
});
