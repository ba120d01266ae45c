import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Dataset, ForwardMode, Task, TrainableModel } from '../task/contracts';

export interface RegressionBatch extends Batch {
  readonly inputs: tf.Tensor2D;
  readonly targets: tf.Tensor1D;
}

/** ℓᵢ = ½(w·xᵢ − yᵢ)²: small enough that every optimizer step can be checked by hand. */
export class LinearRegressionTask implements Task<RegressionBatch> {
  readonly name = 'linear-regression';
  readonly model: TrainableModel;
  readonly weights: tf.Variable;

  constructor(initial: number[]) {
    this.weights = tf.variable(tf.tensor1d(initial), true, `linear-regression-w-${Math.random()}`);
    this.model = { trainableVariables: [this.weights], stateVariables: [] };
  }

  batch(ids: number[], inputs: number[][], targets: number[]): RegressionBatch {
    return { ids: Int32Array.from(ids), inputs: tf.tensor2d(inputs), targets: tf.tensor1d(targets) };
  }

  perSampleLoss(batch: RegressionBatch, _mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => {
      const predictions = tf.squeeze(tf.matMul(batch.inputs, tf.reshape(this.weights, [-1, 1])), [1]);
      return tf.mul(0.5, tf.square(tf.sub(predictions, batch.targets))) as tf.Tensor1D;
    });
  }

  selectSamples(batch: RegressionBatch, positions: Int32Array): RegressionBatch {
    return tf.tidy(() => {
      const index = tf.tensor1d(positions, 'int32');
      return {
        ids: Int32Array.from(positions, (p) => batch.ids[p]),
        inputs: tf.keep(tf.gather(batch.inputs, index)) as tf.Tensor2D,
        targets: tf.keep(tf.gather(batch.targets, index)) as tf.Tensor1D,
      };
    });
  }

  disposeBatch(batch: RegressionBatch): void {
    batch.inputs.dispose();
    batch.targets.dispose();
  }

  async evaluate(_dataset: Dataset<RegressionBatch>): Promise<Record<string, number>> {
    return {};
  }
}
