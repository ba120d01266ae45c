import * as fs from 'fs';
import * as path from 'path';

/** One PyTorch recipe run as tools/parity/reference/recipe.py writes it. */
export interface RecipeRun {
  method: string;
  seed: number;
  epochs: number;
  torch: string;
  history: { epoch: number; test_accuracy: number; seconds: number }[];
}

/**
 * The PyTorch side of recipe parity: each (method, seed) in its own process, one after the other;
 * a run whose result file already exists (same epochs) is read instead of re-run.
 */
export function runRecipe(
  dir: string,
  methods: readonly string[],
  seeds: readonly number[],
  epochs: number,
  python: (script: string, args: string[]) => void,
): RecipeRun[] {
  const runs: RecipeRun[] = [];
  for (const method of methods) {
    for (const seed of seeds) {
      const file = path.join(dir, `${method}-seed${seed}-epochs${epochs}.json`);
      if (!fs.existsSync(file)) python('recipe.py', ['--method', method, '--seed', String(seed), '--epochs', String(epochs), '--out', file]);
      runs.push(JSON.parse(fs.readFileSync(file, 'utf8')) as RecipeRun);
    }
  }
  return runs;
}

/** mean ± sample std (n − 1) in percent. */
export function meanStd(values: readonly number[]): string {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`;
}

/** Markdown: per-epoch test accuracy (%) per method, mean ± std over the seeds, and each seed's last epoch. */
export function formatRecipeTable(runs: readonly RecipeRun[], seeds: readonly number[]): string {
  const epochs = runs[0]?.epochs ?? 0;
  const header = Array.from({ length: epochs }, (_, e) => `epoch ${e + 1}`);
  const lines = [
    `Recipe parity, PyTorch ${runs[0]?.torch ?? ''}: test accuracy % (mean ± std over seeds ${seeds.join(', ')})`,
    '',
    `| method | ${header.join(' | ')} | last epoch per seed | s / epoch |`,
    `|---|${header.map(() => '---').join('|')}|---|---|`,
  ];
  for (const method of [...new Set(runs.map((r) => r.method))]) {
    const mine = runs.filter((r) => r.method === method);
    const cells = header.map((_, e) => meanStd(mine.map((r) => r.history[e].test_accuracy)));
    const last = mine.map((r) => (100 * r.history[epochs - 1].test_accuracy).toFixed(2)).join(' / ');
    const seconds = mine.flatMap((r) => r.history.map((h) => h.seconds));
    lines.push(`| PyTorch ${method} | ${cells.join(' | ')} | ${last} | ${(seconds.reduce((s, v) => s + v, 0) / seconds.length).toFixed(0)} |`);
  }
  return lines.join('\n');
}
