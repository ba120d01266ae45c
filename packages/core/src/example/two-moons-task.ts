import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../nn/batch-norm';
import { Dense } from '../nn/dense';
import { ParameterRegistry } from '../nn/parameter-registry';
import { EVALUATION } from '../passes/forward-modes';
import { Rng } from '../random/rng';
import type { Dataset, EvaluateOptions, ForwardMode, Task } from '../task/contracts';
import type { PointBatch } from './two-moons-dataset';

/**
 * A complete task for core's tests and the plugin guide: a 2 → hidden → hidden → 2 MLP with
 * BatchNorm, trained with per-sample softmax cross-entropy.
 */
export class TwoMoonsTask implements Task<PointBatch> {
  readonly name = 'two-moons';
  readonly model: ParameterRegistry;
  private readonly layers: { input: Dense; norm: BatchNorm; hidden: Dense; output: Dense };

  constructor(seed: number, hidden = 32) {
    this.model = new ParameterRegistry(new Rng(seed));
    this.layers = {
      input: new Dense(this.model, 'input', 2, hidden),
      norm: new BatchNorm(this.model, 'norm', hidden),
      hidden: new Dense(this.model, 'hidden', hidden, hidden),
      output: new Dense(this.model, 'output', hidden, 2),
    };
  }

  logits(inputs: tf.Tensor2D, mode: ForwardMode): tf.Tensor2D {
    return tf.tidy(() => {
      const { input, norm, hidden, output } = this.layers;
      const h1 = tf.relu(norm.apply(input.apply(inputs), mode));
      return output.apply(tf.relu(hidden.apply(h1)));
    });
  }

  perSampleLoss(batch: PointBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => {
      const logProbabilities = tf.logSoftmax(this.logits(batch.inputs, mode));
      const targets = tf.oneHot(batch.labels, 2);
      return tf.neg(tf.sum(tf.mul(targets, logProbabilities), 1)) as tf.Tensor1D;
    });
  }

  selectSamples(batch: PointBatch, positions: Int32Array): PointBatch {
    const index = tf.tensor1d(positions, 'int32');
    const subset = {
      ids: Int32Array.from(positions, (p) => batch.ids[p]),
      inputs: tf.gather(batch.inputs, index) as tf.Tensor2D,
      labels: tf.gather(batch.labels, index) as tf.Tensor1D,
    };
    index.dispose();
    return subset;
  }

  disposeBatch(batch: PointBatch): void {
    batch.inputs.dispose();
    batch.labels.dispose();
  }

  async evaluate(dataset: Dataset<PointBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const count = Math.min(dataset.size, options.limit ?? dataset.size);
    const ids = Int32Array.from({ length: count }, (_, i) => i);
    let correct = 0;
    let lossSum = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 256)) {
      try {
        const [hits, loss] = tf.tidy(() => {
          const predicted = tf.argMax(this.logits(batch.inputs, EVALUATION), 1);
          return [tf.sum(tf.cast(tf.equal(predicted, batch.labels), 'float32')), tf.sum(this.perSampleLoss(batch, EVALUATION))];
        });
        correct += hits.dataSync()[0];
        lossSum += loss.dataSync()[0];
        hits.dispose();
        loss.dispose();
      } finally {
        this.disposeBatch(batch);
      }
    }
    return { accuracy: correct / count, loss: lossSum / count };
  }
}
