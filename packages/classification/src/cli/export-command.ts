import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { readCheckpointFile, restoreWeights, selectBackend, variableName } from '@ausam/core';
import { createModel } from '../models';
import { ZeroFilledRegistry } from '../models/factory';
import type { ClassifierModel } from '../models/classifier-model';
import { savePyTorchWeightsFile } from '../weights';
import { parseClassificationRun } from './run-config';
import { EXPORT_USAGE } from './usage';

/** The formats `ausam-classify export` writes. */
export const EXPORT_FORMATS = ['tfjs', 'safetensors'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where an export goes by default, inside the run folder. */
export const DEFAULT_EXPORT_PATHS: Record<ExportFormat, string> = { tfjs: 'export-tfjs', safetensors: 'model.safetensors' };

/**
 * Writes a run's trained zoo model (config.json + checkpoint.ausam) in a standard format: `tfjs`, a
 * TF.js LayersModel folder (model.json + weights.bin, logits out; ResNets); `safetensors`, a
 * PyTorch state_dict (every model; the layout of the PyTorch import, reversed). Returns the path
 * written. The dataset is not needed: classes and input channels come from the checkpoint.
 */
export async function exportRun(runDir: string, format: ExportFormat, outPath?: string, log: (line: string) => void = () => {}): Promise<string> {
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`export --format: expected one of ${EXPORT_FORMATS.join(', ')}, found '${format}'`);
  const configFile = path.join(runDir, 'config.json');
  if (!fs.existsSync(configFile)) throw new Error(`${configFile}: no such file (expected a run folder written by 'ausam-classify train')`);
  const { backend: _backend, modelFile, ...stored } = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  if (modelFile) throw new Error(`${runDir}: a run of train --model-file; its trained model is already in TF.js format in ${path.join(runDir, 'tfjs-model')}`);
  const config = parseClassificationRun(stored, configFile);
  await selectBackend({ log });
  const checkpointFile = path.join(runDir, 'checkpoint.ausam');
  const { weights } = readCheckpointFile<{ weights: Record<string, Float32Array> }>(checkpointFile);
  const model = createModel(config.model.name, { ...dimensionsFromWeights(config.model.name, weights, checkpointFile), seed: 0 });
  const out = outPath ?? path.join(runDir, DEFAULT_EXPORT_PATHS[format]);
  try {
    restoreWeights(model, weights, checkpointFile);
    if (format === 'safetensors') {
      savePyTorchWeightsFile(model, out);
    } else {
      // tfjs-layers (an optional peer dependency) is loaded only for this format
      const { resnetLayersModel } = await import('../interop/resnet-layers-model');
      const { modelFileSaver } = await import('../interop/model-files');
      const exported = resnetLayersModel(model, config.model.name);
      try {
        await exported.save(modelFileSaver(out));
      } finally {
        exported.dispose();
      }
    }
  } finally {
    model.dispose();
  }
  return out;
}

/**
 * Classes and input channels of the checkpointed model: a probe built with 1 class and 1 channel
 * (zero-filled, no random draws) gives each variable's size per class / per channel; the head's
 * bias holds one value per class, the first (stem) filter one slice per input channel.
 */
function dimensionsFromWeights(name: string, weights: Record<string, Float32Array>, source: string): { numClasses: number; inputChannels: number } {
  const probe: ClassifierModel = createModel(name, { numClasses: 1, inputChannels: 1, seed: 0, registry: new ZeroFilledRegistry() });
  try {
    const variables = [...probe.trainableVariables];
    const stem = variables[0];
    const headBias = variables.find((v) => variableName(v) === 'head/bias');
    const stemValues = weights[variableName(stem)];
    const headValues = headBias ? weights[variableName(headBias)] : undefined;
    if (!stemValues || !headValues) throw new Error(`${source}: expected '${variableName(stem)}' and 'head/bias' weights for model '${name}', found ${Object.keys(weights).length} others`);
    return { numClasses: headValues.length, inputChannels: stemValues.length / stem.size };
  } finally {
    probe.dispose();
  }
}

/** `ausam-classify export --run <folder> --format tfjs|safetensors [--out <path>]`: prints the path written. */
export async function exportCommand(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<void> {
  const { values } = parseArgs({ args, options: { run: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.run || !values.format) throw new Error(`export needs --run <run folder> and --format ${EXPORT_FORMATS.join('|')}\n${EXPORT_USAGE}`);
  out(await exportRun(values.run, values.format as ExportFormat, values.out, err));
}
