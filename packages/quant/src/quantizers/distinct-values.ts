import type * as tf from '@tensorflow/tfjs-core';
import { resolveAxis } from './granularity';

/**
 * Number of distinct values in each slice of `values` along `channelAxis` (read back to the CPU).
 * A b-bit fake-quantized tensor has at most 2^b per step, so this verifies quantization.
 */
export function distinctValuesPerChannel(values: tf.Tensor, channelAxis = -1): number[] {
  const axis = resolveAxis(values.rank, channelAxis);
  const data = values.dataSync();
  const channels = values.shape[axis];
  // Elements of one channel repeat every `inner` values, in blocks of `inner` every `channels·inner`.
  const inner = values.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const sets = Array.from({ length: channels }, () => new Set<number>());
  for (let i = 0; i < data.length; i++) sets[Math.floor(i / inner) % channels].add(data[i] + 0);
  return sets.map((s) => s.size);
}
