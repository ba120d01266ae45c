import * as tf from '@tensorflow/tfjs-core';
import { Dense, EVALUATION, ParameterRegistry, Rng } from '@ausam/core';
import type { Batch, Dataset, EvaluateOptions, ForwardMode, Task } from '@ausam/core';

/** Rows of a table: `columns` numeric features and a class label per row. */
export interface TabularBatch extends Batch {
  readonly features: tf.Tensor2D; // [rows, columns]: one row per id, like every tensor of a batch
  readonly labels: tf.Tensor1D; // [rows], int32
}

/** A table in memory, addressable by row id. */
export class TabularDataset implements Dataset<TabularBatch> {
  readonly size: number;

  constructor(
    readonly features: Float32Array, // row-major, size × columns
    readonly labels: Int32Array,
    readonly columns: number,
  ) {
    this.size = labels.length;
  }

  /** Exactly the rows `ids`, in that order, `batchSize` at a time; noise only when given an rng. */
  async *batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<TabularBatch> {
    for (let start = 0; start < ids.length; start += batchSize) {
      const rows = ids.slice(start, start + batchSize);
      const x = new Float32Array(rows.length * this.columns);
      rows.forEach((id, r) => x.set(this.features.subarray(id * this.columns, (id + 1) * this.columns), r * this.columns));
      if (rng) for (let k = 0; k < x.length; k++) x[k] += 0.01 * rng.normal();
      yield {
        ids: rows,
        features: tf.tensor2d(x, [rows.length, this.columns]),
        labels: tf.tensor1d(Int32Array.from(rows, (id) => this.labels[id]), 'int32'),
      };
    }
  }
}

/** A two-layer MLP classifier trained with per-sample softmax cross-entropy. */
export class TabularTask implements Task<TabularBatch> {
  readonly name = 'tabular';
  readonly model: ParameterRegistry; // trainableVariables + stateVariables, named, seeded
  private readonly hidden: Dense;
  private readonly output: Dense;

  constructor(columns: number, classes: number, seed: number) {
    this.model = new ParameterRegistry(new Rng(seed));
    this.hidden = new Dense(this.model, 'hidden', columns, 32);
    this.output = new Dense(this.model, 'output', 32, classes);
  }

  private logits(features: tf.Tensor2D): tf.Tensor2D {
    return this.output.apply(tf.relu(this.hidden.apply(features)));
  }

  /** One loss per row, never their mean. No BatchNorm here, so `mode` changes nothing. */
  perSampleLoss(batch: TabularBatch, _mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => {
      const logits = this.logits(batch.features);
      const targets = tf.oneHot(batch.labels, logits.shape[1]);
      return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
    });
  }

  /** New tensors (gathered), disposed by whoever asked for the subset. */
  selectSamples(batch: TabularBatch, positions: Int32Array): TabularBatch {
    const index = tf.tensor1d(positions, 'int32');
    const subset: TabularBatch = {
      ids: Int32Array.from(positions, (p) => batch.ids[p]),
      features: tf.gather(batch.features, index),
      labels: tf.gather(batch.labels, index),
    };
    index.dispose();
    return subset;
  }

  disposeBatch(batch: TabularBatch): void {
    batch.features.dispose();
    batch.labels.dispose();
  }

  /** Rows 0..min(limit, size)-1, no rng, EVALUATION mode; disposes every batch it reads. */
  async evaluate(dataset: Dataset<TabularBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const count = Math.min(dataset.size, options.limit ?? dataset.size);
    const ids = Int32Array.from({ length: count }, (_, i) => i);
    let correct = 0;
    let lossSum = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 256)) {
      try {
        const [hits, losses] = tf.tidy(() => [
          tf.sum(tf.cast(tf.equal(tf.argMax(this.logits(batch.features), 1), batch.labels), 'float32')),
          tf.sum(this.perSampleLoss(batch, EVALUATION)),
        ]);
        correct += (await hits.data())[0];
        lossSum += (await losses.data())[0];
        tf.dispose([hits, losses]);
      } finally {
        this.disposeBatch(batch);
      }
    }
    return { accuracy: correct / count, loss: lossSum / count }; // a `loss` lets core stop a diverged run
  }

  dispose(): void {
    this.model.dispose();
  }
}
