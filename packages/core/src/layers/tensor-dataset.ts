import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type Batch, type Dataset } from '@ausam/core';

/** A batch of rows of two tensors: `inputs[ids]` and `targets[ids]`. */
export interface TensorBatch extends Batch {
  readonly inputs: tf.Tensor;
  readonly targets: tf.Tensor;
}

/**
 * The samples of `model.fit(x, y)` as a core {@link Dataset}: sample id i is row i of `x` and of
 * `y`. Batches are copies (the caller disposes them); `x` and `y` stay the caller's.
 */
export class TensorDataset implements Dataset<TensorBatch> {
  readonly size: number;

  constructor(
    readonly x: tf.Tensor,
    readonly y: tf.Tensor,
  ) {
    if (x.rank === 0 || y.rank === 0) throw new RangeError('TensorDataset: x and y must have a batch axis; found a scalar');
    if (x.shape[0] !== y.shape[0]) {
      throw new RangeError(`TensorDataset: x and y must have as many rows; found x [${x.shape}] and y [${y.shape}]`);
    }
    this.size = x.shape[0];
  }

  async *batches(ids: Int32Array, batchSize: number): AsyncIterable<TensorBatch> {
    for (let start = 0; start < ids.length; start += batchSize) {
      const rows = ids.subarray(start, Math.min(ids.length, start + batchSize));
      yield { ids: rows.slice(), inputs: selectRows(this.x, rows), targets: selectRows(this.y, rows) };
    }
  }
}
