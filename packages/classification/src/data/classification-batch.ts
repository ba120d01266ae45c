import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '@ausam/core';

/** A batch of labelled images, as yielded by {@link InMemoryImageDataset.batches}. */
export interface ClassificationBatch extends Batch {
  /** Images, NHWC float32, normalized per channel (and augmented when the batch was drawn with an rng). */
  readonly images: tf.Tensor4D;
  /** Class index of each image, int32, shape [N]. */
  readonly labels: tf.Tensor1D;
}

/** Releases the tensors of a batch. */
export function disposeClassificationBatch(batch: ClassificationBatch): void {
  batch.images.dispose();
  batch.labels.dispose();
}
