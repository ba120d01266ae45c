import * as tf from '@tensorflow/tfjs-core';

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
