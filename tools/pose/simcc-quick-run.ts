/**
 * One run at the pose bench's quick scale (first 400 synthetic train people, 4 epochs, lr ×0.1 at
 * epochs 3 and 4, seed 0) of the CPU SimCC config with a chosen learning rate, label σ and method: how
 * the settings of `packages/pose/configs/simcc-synthetic-cpu.json` were picked (docs/decisions.md).
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/pose/simcc-quick-run.ts --method sgd --lr 0.005 --sigma 4 [--rho 0.002] [--epochs 4]
 *
 * Prints `method lr sigma rho: valid PCKh`. Runs write to runs/simcc-quick-*.
 */
import { parseArgs } from 'node:util';
import { METHOD_NAMES, readJsonFile } from '@ausam/core';
import type { MethodName } from '@ausam/core';
import { parseRunConfig } from '../../packages/pose/src/cli/run-config';
import { runTraining } from '../../packages/pose/src/cli/pose-run';

const CONFIG = 'packages/pose/configs/simcc-synthetic-cpu.json';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      method: { type: 'string', default: 'sgd' },
      lr: { type: 'string', default: '0.005' },
      sigma: { type: 'string', default: '4' },
      rho: { type: 'string', default: '0.002' },
      epochs: { type: 'string', default: '4' },
    },
  });
  const method = values.method as MethodName;
  if (!METHOD_NAMES.includes(method)) throw new Error(`--method: expected one of ${METHOD_NAMES.join(', ')}, found '${values.method}'`);
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!(value > 0)) throw new Error(`--${name}: expected a positive number, found '${text}'`);
    return value;
  };
  const lr = positive('lr', values.lr!);
  const sigma = positive('sigma', values.sigma!);
  const rho = positive('rho', values.rho!);
  const epochs = positive('epochs', values.epochs!);
  const name = `simcc-quick-${method}-lr${lr}-sigma${sigma}-rho${rho}-e${epochs}`;
  const base = readJsonFile(CONFIG) as Record<string, unknown>;
  const config = parseRunConfig(
    {
      ...base,
      name,
      sigma,
      epochs,
      limitTrain: 400,
      evaluateEvery: epochs,
      seed: 0,
      learningRate: { kind: 'multistep', lr, milestones: [Math.round(0.75 * epochs), Math.round(0.9 * epochs)], gamma: 0.1 },
      method: { method, rho, ...(method === 'ausam' || method === 'uniform' ? { ratio: 0.5 } : {}), base: { kind: 'adamw', weightDecay: 0 } },
    },
    CONFIG,
  );
  const summary = await runTraining(config, { progress: false });
  console.log(`${method} lr ${lr} sigma ${sigma} rho ${rho}: valid PCKh ${summary.final.valid.pckh.toFixed(2)} (${summary.trainSeconds.toFixed(0)} s training)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
