#!/usr/bin/env node
import { parseArgs } from 'util';
import { METHOD_NAMES, readJsonFile } from '@ausam/core';
import { evaluateRun } from './eval-command';
import { parseClassificationRun } from './run-config';
import { formatSummary, runClassificationTraining } from './train-command';

const USAGE = `usage:
  ausam-classify train --config <file.json> [overrides]
  ausam-classify eval --run <run folder>

overrides: --dataset-path <dir> --model <name> --method <${METHOD_NAMES.join('|')}>
  --rho <x> --ratio <r> --epochs <n> --batch-size <n> --lr <x> --seed <n> --output <dir>
  --train-limit <n> --test-limit <n> --resume --no-progress`;

const numberFlags = ['rho', 'ratio', 'epochs', 'batch-size', 'lr', 'seed', 'train-limit', 'test-limit'] as const;

function toNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag}: expected a number, found '${value}'`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      run: { type: 'string' },
      'dataset-path': { type: 'string' },
      model: { type: 'string' },
      method: { type: 'string' },
      output: { type: 'string' },
      resume: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      ...Object.fromEntries(numberFlags.map((f) => [f, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (command === 'eval') {
    if (!values.run) throw new Error(`eval needs --run <run folder>\n${USAGE}`);
    const metrics = await evaluateRun(values.run as string);
    console.log(Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' '));
    return;
  }
  if (command !== 'train') throw new Error(`expected a command 'train' or 'eval', found '${command ?? ''}'\n${USAGE}`);
  if (!values.config) throw new Error(`train needs --config <file.json>\n${USAGE}`);
  const raw = readJsonFile(values.config as string) as Record<string, any>;
  const given = values as Record<string, string | boolean | undefined>;
  const num = (flag: (typeof numberFlags)[number]) => (given[flag] === undefined ? undefined : toNumber(flag, given[flag] as string));
  const merged = {
    ...raw,
    dataset: { ...raw.dataset, ...(values['dataset-path'] ? { path: values['dataset-path'] } : {}) },
    model: { ...raw.model, ...(values.model ? { name: values.model } : {}) },
    method: {
      ...raw.method,
      ...(values.method ? { method: values.method } : {}),
      ...(num('rho') !== undefined ? { rho: num('rho') } : {}),
      ...(num('ratio') !== undefined ? { ratio: num('ratio') } : {}),
    },
    learningRate: { ...raw.learningRate, ...(num('lr') !== undefined ? { lr: num('lr') } : {}) },
    ...(num('epochs') !== undefined ? { epochs: num('epochs') } : {}),
    ...(num('batch-size') !== undefined ? { batchSize: num('batch-size') } : {}),
    ...(num('seed') !== undefined ? { seed: num('seed') } : {}),
    ...(values.output ? { outputDir: values.output } : {}),
  };
  if (num('train-limit') !== undefined) merged.dataset.trainLimit = num('train-limit');
  if (num('test-limit') !== undefined) merged.dataset.testLimit = num('test-limit');
  const config = parseClassificationRun(merged, values.config as string);
  const summary = await runClassificationTraining(config, { resume: values.resume as boolean | undefined, progress: !values['no-progress'] });
  console.log(formatSummary(summary, config.method.method));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`ausam-classify: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
