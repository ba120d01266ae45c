import * as tf from '@tensorflow/tfjs-core';
import { variableName } from '../nn/parameter-registry';
import type { TrainableModel } from '../task/contracts';

/** Every variable of a model (trained and state) by stable name. */
export function snapshotWeights(model: TrainableModel): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const v of [...model.trainableVariables, ...model.stateVariables]) {
    out[variableName(v)] = (v.dataSync() as Float32Array).slice();
  }
  return out;
}

/** Loads weights by name; every model variable must be present with the right size. */
export function restoreWeights(model: TrainableModel, weights: Record<string, Float32Array>, source = 'checkpoint'): void {
  for (const v of [...model.trainableVariables, ...model.stateVariables]) {
    const name = variableName(v);
    const values = weights[name];
    if (!values) throw new Error(`${source}: missing weights for variable '${name}'`);
    if (values.length !== v.size) {
      throw new Error(`${source}: variable '${name}' expected ${v.size} values (shape [${v.shape}]), found ${values.length}`);
    }
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
}
