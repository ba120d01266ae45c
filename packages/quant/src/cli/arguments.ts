import { ConfigError, METHOD_NAMES, type MethodName } from '@ausam/core';
import { validateBitWidth } from '../quantizers/integer-range';

/** What `ausam-quant train` was asked to do. */
export interface TrainArguments {
  readonly config: string;
  readonly weightBits?: number;
  readonly activationBits?: number;
  readonly method?: MethodName;
  readonly outputDir?: string;
  readonly epochs?: number;
  readonly resume: boolean;
  /** Replace a run already in the output folder. */
  readonly overwrite: boolean;
  readonly progress: boolean;
}

export const USAGE = `usage: ausam-quant train --config <file.json> [--weight-bits N] [--act-bits N]
                         [--method sgd|sam|ausam|…] [--output <dir>] [--epochs N] [--resume | --overwrite] [--no-progress]
       ausam-quant --help | --version

  --config       a run config (this package ships some in its configs/ folder)
  --weight-bits  bits of quantized weights, 2..8 (overrides quantization.weightBits)
  --act-bits     bits of quantized input activations, 2..8 (overrides quantization.activationBits)
  --method       training method (overrides method.method): ${METHOD_NAMES.join(', ')}
  --output       run folder (default runs/<name>-w<b>a<b>-<method>)
  --epochs       override the config's epochs (e.g. a smoke run)
  --resume       continue the run in the output folder (same trajectory)
  --overwrite    delete the run in the output folder and start over
  --no-progress  no progress bar`;

/** Parses `train …` (argv without node and script); throws {@link ConfigError} on anything unexpected. */
export function parseTrainArguments(argv: readonly string[]): TrainArguments {
  const fail = (detail: string): never => {
    throw new ConfigError('command line', [`${detail}\n${USAGE}`]);
  };
  const [command, ...rest] = argv;
  if (command !== 'train') fail(`expected the command 'train', found ${command === undefined ? 'nothing' : `'${command}'`}`);
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--resume' || arg === '--overwrite' || arg === '--no-progress') {
      flags.add(arg);
    } else if (['--config', '--weight-bits', '--act-bits', '--method', '--output', '--epochs'].includes(arg)) {
      if (i + 1 >= rest.length || rest[i + 1].startsWith('--')) fail(`${arg} needs a value`);
      values[arg] = rest[++i];
    } else {
      fail(`unknown argument '${arg}'`);
    }
  }
  if (values['--config'] === undefined) fail('--config <file> is required');
  const bits = (flag: string) => {
    if (values[flag] === undefined) return undefined;
    try {
      return validateBitWidth(Number(values[flag]), flag);
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  const method = values['--method'];
  if (method !== undefined && !METHOD_NAMES.includes(method as MethodName)) {
    fail(`--method: expected one of ${METHOD_NAMES.join(', ')}, found '${method}'`);
  }
  const epochs = values['--epochs'] === undefined ? undefined : Number(values['--epochs']);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) fail(`--epochs: expected a positive integer, found '${values['--epochs']}'`);
  return {
    config: values['--config'],
    weightBits: bits('--weight-bits'),
    activationBits: bits('--act-bits'),
    method: method as MethodName | undefined,
    outputDir: values['--output'],
    epochs,
    resume: flags.has('--resume'),
    overwrite: flags.has('--overwrite'),
    progress: !flags.has('--no-progress'),
  };
}
