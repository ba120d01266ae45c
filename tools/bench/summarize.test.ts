import { fakeRun as run } from './fake-run';
import { extrasTable, markdownTable, summarize } from './summarize';

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
    expect(table.split('\n')[2]).toBe('| sgd | 70.00 ± 0.00 | 1 | — | — | — | 0.5000 | 50.0 | 20 | — | — | 50.0% | 0.0% |');
  });

  it('pairs each method with SAM and with the uniform control seed by seed', () => {
    const rows = summarize([
      run('sam', 1, 0.9, 100),
      run('sam', 2, 0.8, 100),
      run('ausam@0.5', 1, 0.88, 60),
      run('ausam@0.5', 2, 0.79, 60),
      run('ausam@0.5', 3, 0.5, 60),
      run('uniform@0.5', 1, 0.85, 60),
      run('uniform@0.5', 2, 0.78, 60),
      run('uniform@0.5', 3, 0.45, 60),
    ]);
    const ausam = rows.find((r) => r.label === 'ausam@0.5')!;
    // vs SAM, seeds 1-2 only: −0.02, −0.01
    expect(ausam.gapToSam!.seeds).toBe(2);
    expect(ausam.gapToSam!.mean).toBeCloseTo(-0.015, 12);
    expect(ausam.gapToSam!.std).toBeCloseTo(Math.sqrt(0.00005), 12);
    // vs uniform: +0.03, +0.01, +0.05
    expect(ausam.gapToUniform!.seeds).toBe(3);
    expect(ausam.gapToUniform!.mean).toBeCloseTo(0.03, 12);
    expect(ausam.gapToUniform!.std).toBeCloseTo(0.02, 12);
    expect(rows.find((r) => r.label === 'uniform@0.5')!.gapToUniform).toBeUndefined();
    expect(rows.find((r) => r.label === 'sam')!.gapToSam).toBeUndefined();
    const line = markdownTable(rows, 'test accuracy').split('\n').find((l) => l.startsWith('| ausam@0.5'))!;
    expect(line).toContain('| −1.50 ± 0.71 (2) | +3.00 ± 2.00 (3) | — |');
    // uniform vs AUSAM: −0.03, −0.01, −0.05
    const uniform = rows.find((r) => r.label === 'uniform@0.5')!;
    expect(uniform.gapToAusam!.seeds).toBe(3);
    expect(uniform.gapToAusam!.mean).toBeCloseTo(-0.03, 12);
    expect(ausam.gapToAusam).toBeUndefined();
  });

  it('pairs a peer with the first AUSAM setting only', () => {
    const rows = summarize([
      run('ausam@0.5', 1, 0.8, 60),
      run('ausam@0.3', 1, 0.7, 50),
      run('esam@0.25', 1, 0.75, 60),
    ]);
    expect(rows.find((r) => r.label === 'esam@0.25')!.gapToAusam!.mean).toBeCloseTo(-0.05, 12);
    expect(rows.find((r) => r.label === 'ausam@0.3')!.gapToAusam!.mean).toBeCloseTo(-0.1, 12);
  });

  it("averages the runs' extras per method and prints them in %; no extras, no table", () => {
    const withExtras = [
      run('sam', 1, 0.9, 100, { extras: { 'best test accuracy': 0.91 } }),
      run('sam', 2, 0.8, 100, { extras: { 'best test accuracy': 0.85 } }),
      run('ausam', 1, 0.8, 60, { extras: { 'best test accuracy': 0.88, 'noisy share': 0.3 } }),
    ];
    const rows = summarize(withExtras);
    expect(rows[0].extras!['best test accuracy'].mean).toBeCloseTo(0.88, 12);
    expect(rows[0].extras!['best test accuracy'].std).toBeCloseTo(Math.sqrt(0.0018), 12);
    expect(extrasTable(rows).split('\n')).toEqual([
      '| method | best test accuracy (%) | noisy share (%) |',
      '|---|---|---|',
      '| sam | 88.00 ± 4.24 | — |',
      '| ausam | 88.00 ± 0.00 | 30.00 ± 0.00 |',
    ]);
    expect(extrasTable(summarize(runs))).toBe('');
  });
});
