import * as tf from '@tensorflow/tfjs-core';
import '../../backend/register-gradients';
import { perSampleLossProblem } from '../../task/contract-checks';
import type { Batch, ForwardMode, Task } from '../../task/contracts';
import { replicaPassesOf } from '../../parallel/replica-registry';

/** Per-sample losses (read back) and the gradient of their (weighted) mean, one per trainable variable. */
export interface LossAndGradients {
  readonly perSampleLoss: Float32Array;
  /** Owned by the caller: dispose them. */
  readonly gradients: tf.Tensor[];
}

/** Training pass at the current weights that moves BatchNorm statistics (SAM's first pass, SGD). */
export const FIRST_PASS: ForwardMode = { training: true, updateStatistics: true };
/** Training pass at perturbed weights: batch statistics used, running statistics frozen. */
export const PERTURBED_PASS: ForwardMode = { training: true, updateStatistics: false };
/** Inference (`Task.evaluate`): running statistics used, nothing updated. */
export const EVALUATION: ForwardMode = { training: false, updateStatistics: false };

/**
 * One forward+backward pass: L = (1/b)·Σᵢ wᵢ·ℓᵢ (wᵢ = 1 when no weights are given), gradients of L
 * with respect to the task's trainable variables. A loss not of shape [b] throws a
 * `TaskContractError` (with no tensor left allocated). With data-parallel replicas started for the
 * task ({@link startReplicas}), the batch is split across them and the results combined.
 */
export function lossAndGradients<B extends Batch>(
  task: Task<B>,
  batch: B,
  mode: ForwardMode,
  sampleWeights?: Float32Array,
): LossAndGradients {
  const replicas = replicaPassesOf(task);
  if (replicas) return replicas.lossAndGradients(task as Task<Batch>, batch, mode, sampleWeights);
  return lossAndGradientsHere(task, batch, mode, sampleWeights);
}

/** {@link lossAndGradients} in this thread only, whatever replicas the task has. */
export function lossAndGradientsHere<B extends Batch>(
  task: Task<B>,
  batch: B,
  mode: ForwardMode,
  sampleWeights?: Float32Array,
): LossAndGradients {
  const variables = task.model.trainableVariables as tf.Variable[];
  let perSample: tf.Tensor1D | undefined;
  let problem: Error | undefined;
  const { value, grads } = tf.variableGrads(() => {
    perSample = tf.keep(task.perSampleLoss(batch, mode));
    problem = perSampleLossProblem(perSample, batch.ids.length, task.name);
    // A wrong shape is thrown once the pass is over, so tfjs releases its gradient tape as usual.
    return problem ? tf.sum(perSample) : meanLoss(perSample, sampleWeights);
  }, variables);
  value.dispose();
  const gradients = variables.map((v) => grads[v.name]);
  if (problem) {
    disposeAll(gradients.filter((g) => g !== undefined));
    perSample!.dispose();
    throw problem;
  }
  const values = perSample!.dataSync() as Float32Array;
  perSample!.dispose();
  return { perSampleLoss: values.slice(), gradients };
}

/** Forward only (no gradient): per-sample losses at the current weights (split across replicas, if any). */
export function perSampleLossOnly<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array {
  const replicas = replicaPassesOf(task);
  return replicas ? replicas.perSampleLoss(task as Task<Batch>, batch, mode) : perSampleLossHere(task, batch, mode);
}

/** {@link perSampleLossOnly} in this thread only. */
export function perSampleLossHere<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array {
  const losses = tf.tidy(() => task.perSampleLoss(batch, mode));
  const problem = perSampleLossProblem(losses, batch.ids.length, task.name);
  if (problem) {
    losses.dispose();
    throw problem;
  }
  const values = (losses.dataSync() as Float32Array).slice();
  losses.dispose();
  return values;
}

/** (1/b)·Σ wᵢℓᵢ as a scalar. */
export function meanLoss(perSample: tf.Tensor1D, sampleWeights?: Float32Array): tf.Scalar {
  if (!sampleWeights) return tf.mean(perSample);
  if (sampleWeights.length !== perSample.shape[0]) {
    throw new Error(`sample weights: expected ${perSample.shape[0]}, found ${sampleWeights.length}`);
  }
  return tf.div(tf.sum(tf.mul(perSample, tf.tensor1d(sampleWeights))), perSample.shape[0]);
}

/** √(Σ over tensors of Σ x²), read back as a number. */
export function globalNorm(tensors: readonly tf.Tensor[]): number {
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))).dataSync()[0]);
}

export function disposeAll(tensors: readonly tf.Tensor[]): void {
  for (const t of tensors) t.dispose();
}

/** A StepResult's `lossAfter` for a step with no perturbed pass. */
export function notMeasured(count: number): Float32Array {
  return new Float32Array(count).fill(Number.NaN);
}
