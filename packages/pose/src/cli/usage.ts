import { METHOD_NAMES } from '@ausam/core';
import { SYNTHESIZE_USAGE } from './synthesize';

/** `ausam-pose --help`. */
export const USAGE = `usage:
  ausam-pose train    --config <file> [--method ${METHOD_NAMES.join('|')}] [--epochs N] [--replicas N] [--out DIR] [--data DIR] [--resume | --overwrite] [--no-progress]
  ausam-pose eval     --config <file> --checkpoint <file> [--data DIR]
  ausam-pose baseline --config <file> [--data DIR]
  ausam-pose synthesize --out DIR [--people N] [--valid-people N] [--size PX] [--seed S] [--overwrite]
  ausam-pose <command> --help | --help | --version

Configs to start from ship in this package's configs/ folder; a first run:
  ausam-pose synthesize --out data --people 40
  ausam-pose train --config node_modules/@ausam/pose/configs/synthetic-cpu.json --data data --epochs 1`;

/** Per-command `--help`. */
export const COMMAND_USAGE: Record<string, string> = {
  train: `usage: ausam-pose train --config <file> [options]

  --method <name>   training method (overrides method.method): ${METHOD_NAMES.join(', ')}
  --epochs N        override the config's epochs
  --replicas N      data-parallel: N threads (this one included) each take 1/N of every batch,
                    one wasm thread each; BatchNorm over the whole batch, so any N gives the
                    same run up to float rounding (default on wasm: one per core, or 1 when
                    AUSAM_WASM_THREADS is set)
  --out DIR         run folder (default runs/<config name>)
  --data DIR        replaces dataset.root
  --resume          continue the run in the run folder (same trajectory)
  --overwrite       delete the run in the run folder and start over
  --no-progress     no progress bar / progress lines on stderr`,
  eval: `usage: ausam-pose eval --config <file> --checkpoint <runs/NAME/checkpoint.ausam> [--data DIR]

Evaluates a checkpoint on the config's validation split and prints the metrics as JSON.`,
  baseline: `usage: ausam-pose baseline --config <file> [--data DIR]

Prints the mean-pose baseline of the config's splits (no model, no backend).`,
  synthesize: SYNTHESIZE_USAGE,
};
