import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../random/rng';
import type { Batch, Dataset } from '../task/contracts';

/** A batch of 2-D points with binary labels. */
export interface PointBatch extends Batch {
  readonly inputs: tf.Tensor2D;
  readonly labels: tf.Tensor1D;
}

/**
 * The two interleaving half-circles ("two moons") with Gaussian noise: a tiny, deterministic
 * dataset for core's tests and the plugin guide.
 */
export class TwoMoonsDataset implements Dataset<PointBatch> {
  readonly points: Float32Array;
  readonly labels: Int32Array;

  constructor(
    readonly size: number,
    seed: number,
    noise = 0.15,
  ) {
    const rng = new Rng(seed);
    this.points = new Float32Array(size * 2);
    this.labels = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const label = i % 2;
      const angle = Math.PI * rng.next();
      const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
      const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
      this.points[2 * i] = x + noise * rng.normal();
      this.points[2 * i + 1] = y + noise * rng.normal();
      this.labels[i] = label;
    }
  }

  // No augmentation: the rng argument of Dataset.batches is not needed here.
  async *batches(ids: Int32Array, batchSize: number, _rng?: Rng): AsyncIterable<PointBatch> {
    for (let start = 0; start < ids.length; start += batchSize) {
      const batchIds = ids.slice(start, start + batchSize);
      yield this.gather(batchIds);
    }
  }

  gather(ids: Int32Array): PointBatch {
    const inputs = new Float32Array(ids.length * 2);
    const labels = new Int32Array(ids.length);
    ids.forEach((id, k) => {
      if (id < 0 || id >= this.size) throw new RangeError(`TwoMoonsDataset: id ${id} outside 0..${this.size - 1}`);
      inputs[2 * k] = this.points[2 * id];
      inputs[2 * k + 1] = this.points[2 * id + 1];
      labels[k] = this.labels[id];
    });
    return { ids, inputs: tf.tensor2d(inputs, [ids.length, 2]), labels: tf.tensor1d(labels, 'int32') };
  }
}
