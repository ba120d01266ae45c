#!/usr/bin/env node
import { parseArgs } from 'util';
import { checkReplicaCount, enableRelaxedSimd, readJsonFile, RunStoppedError } from '@ausam/core';
import { evaluateRun } from './eval-command';
import { exportCommand } from './export-command';
import { parseClassificationRun } from './run-config';
import { formatSummary, runClassificationTraining } from './train-command';
import { EVAL_USAGE, EXPORT_USAGE, TRAIN_USAGE, USAGE } from './usage';
import { VERSION } from './version';

const numberFlags = ['rho', 'ratio', 'epochs', 'batch-size', 'lr', 'seed', 'train-limit', 'test-limit', 'replicas'] as const;

/** Where each flag's value goes in the run config, so that a bad value is reported against the flag. */
const FLAG_PATHS: Record<string, string> = {
  'dataset-path': 'dataset.path',
  model: 'model.name',
  method: 'method.method',
  rho: 'method.rho',
  ratio: 'method.ratio',
  lr: 'learningRate.lr',
  epochs: 'epochs',
  'batch-size': 'batchSize',
  seed: 'seed',
  replicas: 'replicas',
  output: 'outputDir',
  'train-limit': 'dataset.trainLimit',
  'test-limit': 'dataset.testLimit',
};

/** Where the CLI writes: results to `out`, logs and errors to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

function toNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag}: expected a number, found '${value}'`);
  return n;
}

/** Runs `ausam-classify <argv>`; returns the exit code (0 done, 1 failed, 2 no command). */
export async function main(argv: readonly string[], io: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'train' && command !== 'eval' && command !== 'export') {
    io.err(`ausam-classify: expected a command 'train', 'eval' or 'export', found '${command}'\n${USAGE}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command === 'train' ? TRAIN_USAGE : command === 'export' ? EXPORT_USAGE : EVAL_USAGE);
    return 0;
  }
  try {
    if (command === 'eval') await evalCommand(rest, io);
    else if (command === 'export') await exportCommand(rest, io.out, io.err);
    else await trainCommand(rest, io);
    return 0;
  } catch (error) {
    io.err(`ausam-classify: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof RunStoppedError ? error.exitCode : 1;
  }
}

async function evalCommand(args: string[], io: CliOutput): Promise<void> {
  const { values } = parseArgs({ args, options: { run: { type: 'string' } }, strict: true });
  if (!values.run) throw new Error(`eval needs --run <run folder>\n${EVAL_USAGE}`);
  const metrics = await evaluateRun(values.run, io.err);
  io.out(Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' '));
}

async function trainCommand(args: string[], io: CliOutput): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      'dataset-path': { type: 'string' },
      model: { type: 'string' },
      'model-file': { type: 'string' },
      method: { type: 'string' },
      output: { type: 'string' },
      resume: { type: 'boolean' },
      overwrite: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      ...Object.fromEntries(numberFlags.map((f) => [f, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (!values.config) throw new Error(`train needs --config <file.json>\n${TRAIN_USAGE}`);
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
    ...(num('replicas') !== undefined ? { replicas: num('replicas') } : {}),
    ...(values.output ? { outputDir: values.output } : {}),
  };
  if (num('train-limit') !== undefined) merged.dataset.trainLimit = num('train-limit');
  if (num('test-limit') !== undefined) merged.dataset.testLimit = num('test-limit');
  const flagPaths = Object.fromEntries(Object.entries(FLAG_PATHS).filter(([flag]) => given[flag] !== undefined).map(([flag, key]) => [key, `--${flag}`]));
  const config = parseClassificationRun(merged, values.config as string, flagPaths);
  checkReplicaCount(config.replicas ?? 1, config.batchSize, given.replicas === undefined ? 'replicas' : '--replicas');
  const summary = await runClassificationTraining(config, {
    resume: values.resume as boolean | undefined,
    overwrite: values.overwrite as boolean | undefined,
    progress: !values['no-progress'],
    stopOnSignals: true,
    log: io.err,
    modelFile: values['model-file'] as string | undefined,
  });
  io.out(formatSummary(summary, config.method.method));
}

/** The bin: `main` on the process's arguments, exiting with its code. */
export function runCli(): void {
  enableRelaxedSimd();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (typeof require !== 'undefined' && require.main === module) runCli();
