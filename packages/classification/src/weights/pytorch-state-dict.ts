import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import { variableName, type TrainableModel } from '@ausam/core';
import { fromPyTorchLayout, layoutOf, pytorchKey, pytorchShape, toPyTorchLayout } from './pytorch-layout';
import { readSafetensors, writeSafetensors, type TensorMap } from './safetensors';
import { WeightImportError } from './weight-import-error';

export interface LoadPyTorchOptions {
  /**
   * Maps the key a variable has in this package's PyTorch naming (see {@link pytorchKey}, e.g.
   * `stage1.block0.conv1.weight`) to the key it has in the file, for state dicts of modules
   * named differently. Default: identity.
   */
  readonly rename?: (key: string) => string;
  /** Throw on a tensor of the file that no variable takes (default true). `*.num_batches_tracked` is always ignored. */
  readonly strict?: boolean;
  /** Names the state dict in error messages (default 'state dict'; the file path for files). */
  readonly source?: string;
}

/**
 * Loads a PyTorch `state_dict` into `model`: every trained variable and BatchNorm running
 * statistic, converted from PyTorch's layout (OIHW conv filters, `[out, in]` Linear weights).
 * Checks everything before assigning anything, so a failed load leaves the model as it was.
 * @throws WeightImportError naming the first missing or mis-shaped tensor (in the model's
 *   variable order), or in strict mode the first tensor nothing takes.
 */
export function loadPyTorchStateDict(model: TrainableModel, stateDict: TensorMap, options: LoadPyTorchOptions = {}): void {
  const source = options.source ?? 'state dict';
  const rename = options.rename ?? ((key: string) => key);
  const variables = [...model.trainableVariables, ...model.stateVariables];
  const used = new Set<string>();
  const values = variables.map((variable) => {
    const name = variableName(variable);
    const key = rename(pytorchKey(name));
    const layout = layoutOf(variable);
    const expected = pytorchShape(variable.shape, layout);
    const tensor = stateDict.get(key);
    if (!tensor) throw new WeightImportError('missing', key, source, name, expected);
    if (!fitsShape(tensor.shape, expected, layout)) throw new WeightImportError('shape', key, source, name, expected, tensor.shape);
    used.add(key);
    return fromPyTorchLayout(tensor.data, expected, layout);
  });
  if (options.strict ?? true) {
    for (const key of stateDict.keys()) {
      if (!used.has(key) && !key.endsWith('num_batches_tracked')) throw new WeightImportError('unexpected', key, source);
    }
  }
  variables.forEach((variable, i) => {
    const value = tf.tensor(values[i], variable.shape, 'float32');
    variable.assign(value);
    value.dispose();
  });
}

/**
 * The model's state dict in PyTorch's naming ({@link pytorchKey}) and layout, BatchNorm running
 * statistics and a `num_batches_tracked` (0) per BatchNorm included, so PyTorch's strict
 * `load_state_dict` accepts it for a module named like this package's models.
 */
export function pytorchStateDict(model: TrainableModel): TensorMap {
  const out: TensorMap = new Map();
  for (const variable of [...model.trainableVariables, ...model.stateVariables]) {
    const name = variableName(variable);
    const layout = layoutOf(variable);
    const data = toPyTorchLayout(variable.dataSync() as Float32Array, variable.shape, layout);
    out.set(pytorchKey(name), { shape: pytorchShape(variable.shape, layout), data, dtype: 'F32' });
    if (name.endsWith('/running_variance')) {
      const prefix = pytorchKey(name).slice(0, -'running_var'.length);
      out.set(`${prefix}num_batches_tracked`, { shape: [], data: new Float32Array([0]), dtype: 'I64' });
    }
  }
  return out;
}

/** {@link loadPyTorchStateDict} from a `.safetensors` file (e.g. `safetensors.torch.save_file(model.state_dict(), path)`). */
export function loadPyTorchWeightsFile(model: TrainableModel, file: string, options: Omit<LoadPyTorchOptions, 'source'> = {}): void {
  loadPyTorchStateDict(model, readSafetensors(fs.readFileSync(file), file), { ...options, source: file });
}

/** Writes {@link pytorchStateDict} of `model` to a `.safetensors` file. */
export function savePyTorchWeightsFile(model: TrainableModel, file: string): void {
  fs.writeFileSync(file, writeSafetensors(pytorchStateDict(model), { format: 'pt' }));
}

/** A depthwise `[C, 1, k, k]` filter also fits as `[1, C, k, k]`: both hold the same bytes. */
function fitsShape(found: readonly number[], expected: readonly number[], layout: string): boolean {
  const same = (a: readonly number[]) => a.length === found.length && a.every((d, i) => d === found[i]);
  if (same(expected)) return true;
  return layout === 'depthwise' && same([expected[1], expected[0], expected[2], expected[3]]);
}
