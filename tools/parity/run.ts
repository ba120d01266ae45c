/**
 * PyTorch parity, one command (needs /usr/bin/python3 with Debian's python3-torch; never in CI):
 *   npx tsx tools/parity/run.ts step [--models resnet-small] [--backends wasm,cpu] [--steps 50] [--batch 128]
 *   npx tsx tools/parity/run.ts recipe [--seeds 1,2,3] [--methods sgd,sam] [--epochs 4] [--ours bench.json]
 *   npx tsx tools/parity/run.ts label-noise [--noise 0.4] [--seeds 1,2,3] [--methods sgd,sam] [--epochs 15] [--ours bench.json]
 * `step` runs tools/parity/reference/step.py (PyTorch), then ours from the exported weights on
 * the same batches, and prints the comparison; `recipe` runs the PyTorch side of the recipe
 * (tools/parity/reference/recipe.py) one run at a time, then ours (`npm run bench -- classification`
 * with the same methods, seeds and epochs, `--jobs 2`) unless `--ours` names a result of that bench,
 * and prints per-epoch test accuracy of both, mean ± std over the seeds, and the last-epoch gap;
 * `label-noise` does the same for the label-noise bench suite (the first 10,000 training images with
 * our noisy labels, exported to PyTorch by export-noisy-labels.ts; ours: `npm run bench -- label-noise`).
 * Outputs go to /tmp/ausam-parity (override with --out).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BackendName } from '@ausam/core';
import { formatRecipeComparison, readOurRecipeRuns } from './recipe-comparison';
import { exportNoisyLabels } from './export-noisy-labels';
import { runRecipe } from './recipe-parity';
import { formatStepTable } from './format-step-table';
import { stepParity } from './step-parity';

const PYTHON = '/usr/bin/python3';
const REFERENCE = path.join(__dirname, 'reference');

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

/** Runs a reference script, streaming its output; throws if it fails. */
export function python(script: string, args: string[]): void {
  const result = spawnSync(PYTHON, [path.join(REFERENCE, script), ...args], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`parity: ${script} ${args.join(' ')} failed (exit ${result.status}); is python3-torch installed?`);
}

/**
 * Runs our side of the recipe through a bench suite (`classification` is the same recipe;
 * `label-noise` with `suiteArgs` its noisy variant) and returns its result JSON.
 */
function runOurBench(
  outRoot: string,
  methods: readonly string[],
  seeds: readonly number[],
  epochs: number,
  suite = 'classification',
  suiteArgs: readonly string[] = [],
): string {
  const args = ['run', 'bench', '--', suite, ...suiteArgs, '--methods', methods.join(','), '--seeds', seeds.join(','), '--epochs', String(epochs), '--jobs', '2', '--out', outRoot];
  const result = spawnSync('npm', args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`parity: npm ${args.join(' ')} failed (exit ${result.status})`);
  const dir = path.join(outRoot, suite);
  const newest = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop();
  if (!newest) throw new Error(`parity: the bench wrote no result under ${dir}`);
  return path.join(dir, newest);
}

async function main(): Promise<void> {
  const [level, ...args] = process.argv.slice(2);
  const out = option(args, 'out', '/tmp/ausam-parity');
  if (level === 'step') {
    const models = option(args, 'models', 'resnet-small').split(',');
    const backends = option(args, 'backends', 'wasm').split(',') as BackendName[];
    const steps = option(args, 'steps', '50');
    const batch = option(args, 'batch', '128');
    for (const model of models) {
      const dir = path.join(out, 'step', model);
      python('step.py', ['--model', model, '--steps', steps, '--batch', batch, '--out', dir]);
      const { reference, rows } = await stepParity(dir, backends, (line) => console.error(line));
      console.log(formatStepTable(reference, rows));
    }
  } else if (level === 'recipe') {
    const seeds = option(args, 'seeds', '1,2,3').split(',').map(Number);
    const methods = option(args, 'methods', 'sgd,sam').split(',');
    const epochs = Number(option(args, 'epochs', '4'));
    const torchRuns = runRecipe(path.join(out, 'recipe'), methods, seeds, epochs, python);
    const ours = option(args, 'ours', '') || runOurBench(path.join(out, 'ours'), methods, seeds, epochs);
    console.log(formatRecipeComparison(torchRuns, readOurRecipeRuns(ours, methods, seeds), seeds));
  } else if (level === 'label-noise') {
    const seeds = option(args, 'seeds', '1,2,3').split(',').map(Number);
    const methods = option(args, 'methods', 'sgd,sam').split(',');
    const epochs = Number(option(args, 'epochs', '15'));
    const rate = Number(option(args, 'noise', '0.4'));
    const trainLimit = 10000;
    const labelsFile = path.join(out, 'label-noise', `labels-noise${rate}-first${trainLimit}.json`);
    const labels = await exportNoisyLabels(labelsFile, rate, trainLimit);
    console.error(`[parity] ${labels.noisyIds.length} of ${labels.trainLimit} training labels noisy (${labelsFile})`);
    const variant = { name: `noise${rate}-first${trainLimit}`, extraArgs: ['--train-limit', String(trainLimit), '--labels', labelsFile] };
    const torchRuns = runRecipe(path.join(out, 'label-noise'), methods, seeds, epochs, python, variant);
    const ours = option(args, 'ours', '') || runOurBench(path.join(out, 'ours'), methods, seeds, epochs, 'label-noise', ['--noise', String(rate)]);
    console.log(formatRecipeComparison(torchRuns, readOurRecipeRuns(ours, methods, seeds), seeds));
  } else {
    throw new Error(`parity: expected 'step', 'recipe' or 'label-noise', found '${level ?? ''}'`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
