#!/usr/bin/env node
import { parseTrainArguments, USAGE } from './arguments';
import { ConfigError } from '@ausam/core';
import { readRunConfig } from './run-config';
import { applyOverrides, runQuantizedTraining } from './run-training';

/** `ausam-quant train --config <file> --weight-bits N --act-bits N [--method sgd|sam|ausam]`. */
async function main(argv: readonly string[]): Promise<void> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const args = parseTrainArguments(argv);
  const config = applyOverrides(readRunConfig(args.config), args);
  const result = await runQuantizedTraining(config, { resume: args.resume, progress: args.progress });
  const test = result.summary.final.test;
  console.log(
    `${config.name}: W${config.quantization.weightBits}A${config.quantization.activationBits} ${config.method.method} ` +
      `test accuracy ${(100 * (test?.accuracy ?? Number.NaN)).toFixed(2)}%, ${result.size.mebibytes.toFixed(3)} MiB, ` +
      `run folder ${result.outputDir}`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
