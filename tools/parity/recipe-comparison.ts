import * as fs from 'fs';
import { meanAndSampleStd } from '../bench/statistics';
import type { RecipeRun } from './recipe-parity';

/** The bench JSON fields recipe parity reads (`npm run bench -- classification`, tools/bench/run.ts). */
interface BenchRunRecord {
  label: string;
  seed: number;
  curve: { epoch: number; seconds: number; value: number }[];
}

/**
 * Our side of recipe parity, read from a classification bench result: each run's per-epoch test
 * accuracy, in the shape the PyTorch side writes. Throws naming the file and what is missing.
 */
export function readOurRecipeRuns(benchJson: string, methods: readonly string[], seeds: readonly number[]): RecipeRun[] {
  const bench = JSON.parse(fs.readFileSync(benchJson, 'utf8')) as { runs?: BenchRunRecord[] };
  if (!Array.isArray(bench.runs)) throw new Error(`parity: ${benchJson} is not a bench result (no 'runs' array)`);
  const runs: RecipeRun[] = [];
  for (const method of methods) {
    for (const seed of seeds) {
      const run = bench.runs.find((r) => r.label === method && r.seed === seed);
      if (!run) {
        const found = bench.runs.map((r) => `${r.label}/${r.seed}`).join(', ');
        throw new Error(`parity: ${benchJson} has no run of ${method} with seed ${seed} (found ${found})`);
      }
      runs.push({
        method,
        seed,
        epochs: run.curve.length,
        torch: '',
        history: run.curve.map((point, e) => ({
          epoch: point.epoch,
          test_accuracy: point.value,
          seconds: point.seconds - (e > 0 ? run.curve[e - 1].seconds : 0),
        })),
      });
    }
  }
  return runs;
}

/** mean ± sample std (n − 1) of fractions, in percent. */
function meanStd(fractions: readonly number[]): string {
  const { mean, std } = meanAndSampleStd(fractions);
  return `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`;
}

/** Whether our last-epoch mean is within max(PyTorch's seed std, 0.3 pt) of PyTorch's (issue 12's criterion). */
export interface RecipeVerdict {
  method: string;
  torchMean: number;
  torchStd: number;
  oursMean: number;
  gap: number;
  tolerance: number;
  holds: boolean;
}

export function recipeVerdicts(torchRuns: readonly RecipeRun[], ourRuns: readonly RecipeRun[]): RecipeVerdict[] {
  return [...new Set(torchRuns.map((r) => r.method))].map((method) => {
    const last = (runs: readonly RecipeRun[]) => runs.filter((r) => r.method === method).map((r) => 100 * r.history[r.history.length - 1].test_accuracy);
    const torchLast = last(torchRuns);
    const oursLast = last(ourRuns);
    if (oursLast.length === 0) throw new Error(`parity: no run of ours for method ${method}`);
    const { mean: torchMean, std: torchStd } = meanAndSampleStd(torchLast);
    const oursMean = meanAndSampleStd(oursLast).mean;
    const tolerance = Math.max(torchStd, 0.3);
    return { method, torchMean, torchStd, oursMean, gap: oursMean - torchMean, tolerance, holds: Math.abs(oursMean - torchMean) <= tolerance };
  });
}

/** Markdown: PyTorch and ours per epoch (mean ± std over the seeds), then the last-epoch gap and verdict per method. */
export function formatRecipeComparison(torchRuns: readonly RecipeRun[], ourRuns: readonly RecipeRun[], seeds: readonly number[]): string {
  const epochs = torchRuns[0]?.epochs ?? 0;
  const header = Array.from({ length: epochs }, (_, e) => `epoch ${e + 1}`);
  const lines = [
    `Recipe parity: test accuracy % (mean ± std over seeds ${seeds.join(', ')}), PyTorch ${torchRuns[0]?.torch ?? ''} vs ours`,
    '',
    `| method | ${header.join(' | ')} | last epoch per seed |`,
    `|---|${header.map(() => '---').join('|')}|---|`,
  ];
  for (const method of [...new Set(torchRuns.map((r) => r.method))]) {
    for (const [who, runs] of [['PyTorch', torchRuns], ['ours', ourRuns]] as const) {
      const mine = runs.filter((r) => r.method === method);
      const cells = header.map((_, e) => (mine.every((r) => r.history[e]) ? meanStd(mine.map((r) => r.history[e].test_accuracy)) : '—'));
      const last = mine.map((r) => (100 * r.history[r.history.length - 1].test_accuracy).toFixed(2)).join(' / ');
      lines.push(`| ${who} ${method} | ${cells.join(' | ')} | ${last} |`);
    }
  }
  lines.push('', '| method | ours − PyTorch, last epoch (pt) | tolerance: max(PyTorch std, 0.3) | parity |', '|---|---:|---:|---|');
  for (const v of recipeVerdicts(torchRuns, ourRuns)) {
    const sign = v.gap >= 0 ? '+' : '−';
    lines.push(`| ${v.method} | ${sign}${Math.abs(v.gap).toFixed(2)} | ${v.tolerance.toFixed(2)} | ${v.holds ? 'holds' : 'does not hold'} |`);
  }
  return lines.join('\n');
}
