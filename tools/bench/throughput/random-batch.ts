import * as tf from '@tensorflow/tfjs-core';
import type { ClassificationBatch } from '@ausam/classification';

/**
 * The fixed random batch the throughput and profiling scripts step on: `batchSize` images of
 * `shape` from N(0, 1) (seed 11) and labels uniform in 0..9 (seed 12), ids 0..b−1. The same seeds
 * everywhere, so every script and every data-parallel replica sees the same data.
 */
export function randomClassificationBatch(
  batchSize: number,
  shape: { readonly height: number; readonly width: number; readonly channels: number },
): ClassificationBatch {
  return {
    ids: Int32Array.from({ length: batchSize }, (_, i) => i),
    images: tf.randomNormal([batchSize, shape.height, shape.width, shape.channels], 0, 1, 'float32', 11) as tf.Tensor4D,
    labels: tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([batchSize], 0, 10, 'float32', 12)), 'int32')) as tf.Tensor1D,
  };
}
