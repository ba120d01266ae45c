import * as tf from '@tensorflow/tfjs-core';
import { perSampleLossProblem } from '../task/contract-checks';
import type { Batch, ForwardMode, Task } from '../task/contracts';
import type { LossAndGradients, Passes } from './passes';

/**
 * {@link Passes} in this thread, on the active tfjs backend: the default of `train()` and of every
 * optimizer's step. A loss of the wrong shape throws once the pass is over, so tfjs releases its
 * gradient tape as usual and no tensor is left allocated.
 */
export const localPasses: Passes = {
  lossAndGradients<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode, sampleWeights?: Float32Array): LossAndGradients {
    const variables = task.model.trainableVariables as tf.Variable[];
    let perSample: tf.Tensor1D | undefined;
    let problem: Error | undefined;
    const { value, grads } = tf.variableGrads(() => {
      perSample = tf.keep(task.perSampleLoss(batch, mode));
      problem = perSampleLossProblem(perSample, batch.ids.length, task.name);
      return problem ? tf.sum(perSample) : meanLoss(perSample, sampleWeights);
    }, variables);
    value.dispose();
    const gradients = variables.map((v) => grads[v.name]);
    if (problem) {
      for (const g of gradients) g?.dispose();
      perSample!.dispose();
      throw problem;
    }
    const values = perSample!.dataSync() as Float32Array;
    perSample!.dispose();
    return { perSampleLoss: values.slice(), gradients };
  },

  perSampleLoss<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array {
    const losses = tf.tidy(() => task.perSampleLoss(batch, mode));
    const problem = perSampleLossProblem(losses, batch.ids.length, task.name);
    if (problem) {
      losses.dispose();
      throw problem;
    }
    const values = (losses.dataSync() as Float32Array).slice();
    losses.dispose();
    return values;
  },
};

/** (1/b)·Σ wᵢℓᵢ as a scalar (the plain mean without weights). */
export function meanLoss(perSample: tf.Tensor1D, sampleWeights?: Float32Array): tf.Scalar {
  if (!sampleWeights) return tf.mean(perSample);
  if (sampleWeights.length !== perSample.shape[0]) {
    throw new Error(`sample weights: expected ${perSample.shape[0]}, found ${sampleWeights.length}`);
  }
  return tf.div(tf.sum(tf.mul(perSample, tf.tensor1d(sampleWeights))), perSample.shape[0]);
}
