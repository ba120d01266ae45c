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
 * a run whose result file already exists (same epochs, same `variant`) is read instead of re-run.
 * `variant` names a setting passed as `extraArgs` (e.g. the label-noise suite's `--train-limit`
 * and `--labels`), so its runs never mix with the plain recipe's.
 */
export function runRecipe(
  dir: string,
  methods: readonly string[],
  seeds: readonly number[],
  epochs: number,
  python: (script: string, args: string[]) => void,
  variant?: { name: string; extraArgs: readonly string[] },
): RecipeRun[] {
  const runs: RecipeRun[] = [];
  for (const method of methods) {
    for (const seed of seeds) {
      const file = path.join(dir, `${variant ? `${variant.name}-` : ''}${method}-seed${seed}-epochs${epochs}.json`);
      const args = ['--method', method, '--seed', String(seed), '--epochs', String(epochs), '--out', file, ...(variant?.extraArgs ?? [])];
      if (!fs.existsSync(file)) python('recipe.py', args);
      runs.push(JSON.parse(fs.readFileSync(file, 'utf8')) as RecipeRun);
    }
  }
  return runs;
}
