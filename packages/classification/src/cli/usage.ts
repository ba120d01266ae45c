import { METHOD_NAMES } from '@ausam/core';

/** `ausam-classify --help`. */
export const USAGE = `usage:
  ausam-classify train --config <file.json> [overrides]   train, writing a run folder
  ausam-classify eval --run <run folder>                   evaluate a run's checkpoint on its test split
  ausam-classify <command> --help | --help | --version

Configs to start from ship in this package's configs/ folder.`;

/** `ausam-classify train --help`. */
export const TRAIN_USAGE = `usage: ausam-classify train --config <file.json> [overrides]

overrides (each replaces the config's value):
  --dataset-path <dir>   dataset.path
  --model <name>         model.name
  --method <name>        ${METHOD_NAMES.join('|')}
  --rho <x> --ratio <r>  the method's ρ and subset ratio
  --epochs <n> --batch-size <n> --lr <x> --seed <n>
  --output <dir>         run folder (default runs/<config name>)
  --train-limit <n> --test-limit <n>   use only the first n images of a split
  --replicas <n>         data-parallel: n threads (this one included) each take 1/n of every
                         batch, one wasm thread each; BatchNorm over the whole batch, so any n
                         gives the same run up to float rounding (default on wasm: one per core,
                         or 1 when AUSAM_WASM_THREADS is set); at most the batch size and the cores
run folder (one run at a time; Ctrl+C stops at the next step, naming the checkpoint to resume):
  --resume               continue the run in the output folder (same trajectory; refused if the
                         settings differ, except --output and a larger --epochs)
  --overwrite            delete the run in the output folder and start over
  --no-progress          no progress bar / progress lines on stderr`;

/** `ausam-classify eval --help`. */
export const EVAL_USAGE = `usage: ausam-classify eval --run <run folder>

Rebuilds the model from <run folder>/config.json, loads checkpoint.ausam and prints the test metrics.`;
