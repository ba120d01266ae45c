import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatRecipeComparison, readOurRecipeRuns, recipeVerdicts } from './recipe-comparison';
import type { RecipeRun } from './recipe-parity';

const run = (method: string, seed: number, accuracies: number[]): RecipeRun => ({
  method,
  seed,
  epochs: accuracies.length,
  torch: '1.13.0',
  history: accuracies.map((test_accuracy, e) => ({ epoch: e + 1, test_accuracy, seconds: 10 })),
});

describe('recipe parity: ours against PyTorch', () => {
  const torch = [run('sgd', 1, [0.87, 0.912]), run('sgd', 2, [0.88, 0.913]), run('sgd', 3, [0.86, 0.9125]), run('sam', 1, [0.88, 0.91]), run('sam', 2, [0.88, 0.92])];
  const ours = [run('sgd', 1, [0.85, 0.910]), run('sgd', 2, [0.86, 0.911]), run('sgd', 3, [0.85, 0.9105]), run('sam', 1, [0.86, 0.90]), run('sam', 2, [0.86, 0.90])];

  it('gives the last-epoch gap and tolerance max(PyTorch std, 0.3 pt)', () => {
    const [sgd, sam] = recipeVerdicts(torch, ours);
    // sgd: PyTorch 91.2, 91.3, 91.25 (mean 91.25, std 0.05) vs ours 91.0, 91.1, 91.05 (mean 91.05).
    expect(sgd.method).toBe('sgd');
    expect(sgd.torchMean).toBeCloseTo(91.25, 10);
    expect(sgd.torchStd).toBeCloseTo(0.05, 10);
    expect(sgd.gap).toBeCloseTo(-0.2, 10);
    expect(sgd.tolerance).toBe(0.3);
    expect(sgd.holds).toBe(true);
    // sam: PyTorch 91, 92 (std 0.7071) vs ours 90, 90: gap −1.5 > 0.7071.
    expect(sam.tolerance).toBeCloseTo(Math.SQRT1_2, 10);
    expect(sam.gap).toBeCloseTo(-1.5, 10);
    expect(sam.holds).toBe(false);
  });

  it('prints both frameworks per epoch and the verdict rows', () => {
    const table = formatRecipeComparison(torch, ours, [1, 2, 3]);
    expect(table).toContain('| PyTorch sgd | 87.00 ± 1.00 | 91.25 ± 0.05 | 91.20 / 91.30 / 91.25 |');
    expect(table).toContain('| ours sgd | 85.33 ± 0.58 | 91.05 ± 0.05 | 91.00 / 91.10 / 91.05 |');
    expect(table).toContain('| sgd | −0.20 | 0.30 | holds |');
    expect(table).toContain('| sam | −1.50 | 0.71 | does not hold |');
  });

  it('reads our runs from a bench result and names a missing run', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parity-')), 'bench.json');
    const curve = [
      { epoch: 1, seconds: 100, value: 0.85 },
      { epoch: 2, seconds: 250, value: 0.9 },
    ];
    fs.writeFileSync(file, JSON.stringify({ runs: [{ label: 'sgd', seed: 1, curve }] }));
    const [read] = readOurRecipeRuns(file, ['sgd'], [1]);
    expect(read.history).toEqual([
      { epoch: 1, test_accuracy: 0.85, seconds: 100 },
      { epoch: 2, test_accuracy: 0.9, seconds: 150 },
    ]);
    expect(() => readOurRecipeRuns(file, ['sam'], [1])).toThrow(`parity: ${file} has no run of sam with seed 1 (found sgd/1)`);
    fs.writeFileSync(file, '{}');
    expect(() => readOurRecipeRuns(file, ['sgd'], [1])).toThrow("is not a bench result (no 'runs' array)");
  });
});
