#!/usr/bin/env node
import { enableRelaxedSimd, RunStoppedError } from '@ausam/core';
import { parseTrainArguments, USAGE } from './arguments';
import { readRunConfig } from './run-config';
import { applyOverrides, runQuantizedTraining } from './run-training';
import { VERSION } from './version';

/** Where the CLI writes: results to `out`, logs and errors to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * `ausam-quant train --config <file> --weight-bits N --act-bits N [--method sgd|sam|ausam]`; returns
 * the exit code (0 done, 1 failed, 2 no command).
 */
export async function main(argv: readonly string[], io: CliOutput = processOutput): Promise<number> {
  if (argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    (argv.length === 0 ? io.err : io.out)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const args = parseTrainArguments(argv);
    const config = applyOverrides(readRunConfig(args.config), args);
    const result = await runQuantizedTraining(config, { resume: args.resume, overwrite: args.overwrite, progress: args.progress, stopOnSignals: true, log: io.err });
    const test = result.summary.final.test;
    io.out(
      `${config.name}: W${config.quantization.weightBits}A${config.quantization.activationBits} ${config.method.method} ` +
        `test accuracy ${(100 * (test?.accuracy ?? Number.NaN)).toFixed(2)}%, ${result.size.mebibytes.toFixed(3)} MiB, ` +
        `run folder ${result.outputDir}`,
    );
    return 0;
  } catch (error) {
    io.err(`ausam-quant: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof RunStoppedError ? error.exitCode : 1;
  }
}

/** The bin: `main` on the process's arguments, exiting with its code. */
export function runCli(): void {
  enableRelaxedSimd();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (typeof require !== 'undefined' && require.main === module) runCli();
