#!/usr/bin/env node
/**
 * ausam-pose: train and evaluate top-down heatmap pose models with SGD / SAM / AUSAM / … (see README).
 *
 *   ausam-pose train    --config <file> [--method ausam] [--epochs N] [--replicas N] [--out DIR] [--data DIR] [--resume | --overwrite] [--no-progress]
 *   ausam-pose eval     --config <file> --checkpoint <runs/NAME/checkpoint.ausam> [--data DIR]
 *   ausam-pose baseline --config <file> [--data DIR]
 *   ausam-pose synthesize --out DIR [--people N] [--seed S]
 */
import { parseArgs } from 'node:util';
import { checkReplicaCount, enableRelaxedSimd, METHOD_NAMES, readJsonFile, RunStoppedError } from '@ausam/core';
import type { MethodName } from '@ausam/core';
import { runBaseline, runEvaluation, runTraining } from './pose-run';
import type { RunOverrides } from './pose-run';
import { parseRunConfig } from './run-config';
import { parseSynthesizeArguments, runSynthesize } from './synthesize';
import { COMMAND_USAGE, USAGE } from './usage';
import { VERSION } from './version';

/** Runs one command; returns the process exit code. */
export async function main(argv: readonly string[], write = (text: string) => process.stdout.write(text)): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version') {
    write(`${VERSION}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h') {
    write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (COMMAND_USAGE[command] && (rest.includes('--help') || rest.includes('-h'))) {
    write(`${COMMAND_USAGE[command]}\n`);
    return 0;
  }
  if (command === 'synthesize') {
    write(`${await runSynthesize(parseSynthesizeArguments(rest))}\n`);
    return 0;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      config: { type: 'string' },
      method: { type: 'string' },
      epochs: { type: 'string' },
      replicas: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
      checkpoint: { type: 'string' },
      resume: { type: 'boolean', default: false },
      overwrite: { type: 'boolean', default: false },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  if (!values.config) throw new Error(`--config is required\n${USAGE}`);
  const config = parseRunConfig(readJsonFile(values.config), values.config);
  if (values.method !== undefined && !METHOD_NAMES.includes(values.method as MethodName)) {
    throw new Error(`--method: expected one of ${METHOD_NAMES.join(', ')}, found '${values.method}'`);
  }
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error(`--epochs: expected a positive integer, found '${values.epochs}'`);
  const replicas = values.replicas === undefined ? undefined : Number(values.replicas);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas > 0)) throw new Error(`--replicas: expected a positive integer, found '${values.replicas}'`);
  if (command === 'train') checkReplicaCount(replicas ?? config.replicas ?? 1, config.batchSize, replicas === undefined ? 'replicas' : '--replicas');
  const overrides: RunOverrides = {
    method: values.method as MethodName | undefined,
    epochs,
    replicas,
    outputDir: values.out,
    dataRoot: values.data,
    resume: values.resume,
    overwrite: values.overwrite,
    progress: !values['no-progress'],
    stopOnSignals: true,
  };
  switch (command) {
    case 'train': {
      const summary = await runTraining(config, overrides);
      write(`${JSON.stringify({ method: summary.method, sampler: summary.sampler, trainSeconds: summary.trainSeconds, final: summary.final }, null, 2)}\n`);
      return 0;
    }
    case 'eval': {
      if (!values.checkpoint) throw new Error(`eval: --checkpoint is required\n${USAGE}`);
      write(`${JSON.stringify(await runEvaluation(config, values.checkpoint, overrides), null, 2)}\n`);
      return 0;
    }
    case 'baseline':
      write(`${JSON.stringify(runBaseline(config, overrides), null, 2)}\n`);
      return 0;
    default:
      throw new Error(`unknown command '${command}'\n${USAGE}`);
  }
}

/** The bin: `main` on the process's arguments; errors are printed and exit with 1. */
export function runCli(): void {
  enableRelaxedSimd();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      if (error instanceof RunStoppedError) {
        console.error(`ausam-pose: ${error.message}`);
        process.exitCode = error.exitCode;
        return;
      }
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}

if (typeof require !== 'undefined' && require.main === module) runCli();
