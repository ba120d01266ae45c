import * as tf from '@tensorflow/tfjs-core';

/** The values of `variables` (float32 tensors), flattened in order into one new array. */
export function readVariables(variables: readonly tf.Tensor[]): Float32Array {
  const out = new Float32Array(variables.reduce((sum, v) => sum + v.size, 0));
  let offset = 0;
  for (const v of variables) {
    out.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return out;
}

/** Assigns `values[offset …]` to `variables` in order; returns the offset after the last one. */
export function writeVariables(variables: readonly tf.Variable[], values: Float32Array, offset = 0): number {
  for (const v of variables) {
    const value = tf.tensor(values.subarray(offset, offset + v.size), v.shape, 'float32');
    v.assign(value);
    value.dispose();
    offset += v.size;
  }
  return offset;
}

/** `tensors` (float32) flattened in order into one new array; disposes them. */
export function flattenAndDispose(tensors: readonly tf.Tensor[]): Float32Array {
  const out = readVariables(tensors);
  for (const t of tensors) t.dispose();
  return out;
}
