import { METHOD_NAMES } from '@ausam/core';

/** `ausam-classify --help`. */
export const USAGE = `usage:
  ausam-classify train --config <file.json> [overrides]   train, writing a run folder
  ausam-classify eval --run <run folder>                   evaluate a run's checkpoint on its test split
  ausam-classify export --run <run folder> --format tfjs|safetensors   the trained model as a TF.js
                                                           LayersModel or a PyTorch state_dict
  ausam-classify <command> --help | --help | --version

Configs to start from ship in this package's configs/ folder.`;

/** `ausam-classify train --help`. */
export const TRAIN_USAGE = `usage: ausam-classify train --config <file.json> [overrides]

overrides (each replaces the config's value):
  --dataset-path <dir>   dataset.path
  --model <name>         model.name
  --model-file <model.json>  fine-tune a TF.js LayersModel from disk instead (needs
                         @tensorflow/tfjs-layers); the trained model is written back to
                         <run folder>/tfjs-model/ (model.json + weights.bin)
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

/** \`ausam-classify export --help\`. */
export const EXPORT_USAGE = `usage: ausam-classify export --run <run folder> --format tfjs|safetensors [--out <path>]

Rebuilds the model from <run folder>/config.json and checkpoint.ausam and writes it as
  tfjs         a TF.js LayersModel folder (model.json + weights.bin; outputs logits), for
               tf.loadLayersModel in a browser or Node (ResNets: resnet-small, resnet<6n+2>, resnet18);
               default <run folder>/export-tfjs/
  safetensors  a PyTorch state_dict (every model; keys as this package's PyTorch import expects);
               default <run folder>/model.safetensors
Prints the path written. Needs @tensorflow/tfjs-layers for tfjs.`;
