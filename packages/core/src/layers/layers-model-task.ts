import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { EVALUATION, selectRows, type Dataset, type EvaluateOptions, type ForwardMode, type Task, type TrainableModel } from '@ausam/core';
import { namePositionally, nonTrainableVariablesOf, trainableVariablesOf } from './layers-model-variables';
import { SavedValues } from './moving-statistics';
import { applyForLogits, finalActivation } from './output-logits';
import { lossName, perSampleLoss, reducePerSample, type LossName, type PerSampleLossFunction } from './per-sample-loss';
import type { TensorBatch } from './tensor-dataset';

/** Options of {@link LayersModelTask}. */
export interface LayersModelTaskOptions {
  /** A loss name `compile` accepts (`'categoricalCrossentropy'`, `'mse'`, …) or a function returning one loss per sample. */
  loss: string | PerSampleLossFunction;
  /** Names the task in logs and errors (default `layers-model:<model.name>`). */
  name?: string;
}

/**
 * A `tf.LayersModel` as a core {@link Task}: per-sample losses by the names `compile` accepts,
 * plus the model's regularization losses (`model.calculateLosses()`, the L2/L1 terms `fit` adds to
 * its loss) added to every sample's loss, so that their mean is `fit`'s loss. BatchNorm moving
 * statistics move in `FIRST_PASS` only: a training pass that must not move them (`PERTURBED_PASS`)
 * puts them back after the forward pass. A softmax or sigmoid output layer's cross-entropy is taken
 * from its logits. Weights are checkpointed under positional names (`layers/<i>/weights/<j>`).
 */
export class LayersModelTask implements Task<TensorBatch> {
  readonly name: string;
  readonly model: TrainableModel;
  private readonly lossName?: LossName;
  private readonly lossFunction?: PerSampleLossFunction;
  private readonly fromLogits: boolean;

  constructor(
    /** The user's model; its weights are trained in place. */
    readonly layersModel: LayersModel,
    options: LayersModelTaskOptions,
  ) {
    this.name = options.name ?? `layers-model:${layersModel.name}`;
    if (typeof options.loss === 'function') this.lossFunction = options.loss;
    else this.lossName = lossName(options.loss);
    const activation = finalActivation(layersModel);
    this.fromLogits =
      (activation === 'softmax' && (this.lossName === 'categoricalCrossentropy' || this.lossName === 'sparseCategoricalCrossentropy')) ||
      (activation === 'sigmoid' && this.lossName === 'binaryCrossentropy');
    namePositionally(layersModel);
    const trainable = trainableVariablesOf(layersModel);
    const state = nonTrainableVariablesOf(layersModel);
    this.model = { trainableVariables: trainable, stateVariables: state };
  }

  perSampleLoss(batch: TensorBatch, mode: ForwardMode): tf.Tensor1D {
    const frozen = mode.training && !mode.updateStatistics ? new SavedValues(this.model.stateVariables) : undefined;
    try {
      return tf.tidy(() => {
        const losses = this.lossOf(batch.targets, this.output(batch.inputs, mode.training));
        const regularization = this.layersModel.calculateLosses();
        return regularization.length === 0 ? losses : (tf.add(losses, tf.addN(regularization)) as tf.Tensor1D);
      });
    } finally {
      frozen?.restore();
    }
  }

  selectSamples(batch: TensorBatch, positions: Int32Array): TensorBatch {
    return {
      ids: Int32Array.from(positions, (p) => batch.ids[p]),
      inputs: selectRows(batch.inputs, positions),
      targets: selectRows(batch.targets, positions),
    };
  }

  disposeBatch(batch: TensorBatch): void {
    batch.inputs.dispose();
    batch.targets.dispose();
  }

  /**
   * `{ loss }` (with regularization, as `model.evaluate` reports it) and, for the cross-entropies,
   * `accuracy` (arg-max for categorical, p > 0.5 for binary), in inference mode.
   */
  async evaluate(dataset: Dataset<TensorBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const count = Math.min(dataset.size, options.limit ?? dataset.size);
    const ids = Int32Array.from({ length: count }, (_, i) => i);
    let lossSum = 0;
    let hits = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 256)) {
      try {
        const [loss, correct] = tf.tidy(() => [tf.sum(this.perSampleLoss(batch, EVALUATION)), this.correctCount(batch)]);
        lossSum += loss.dataSync()[0];
        hits += correct.dataSync()[0];
        tf.dispose([loss, correct]);
      } finally {
        this.disposeBatch(batch);
      }
    }
    const loss = lossSum / Math.max(1, count);
    return this.isCrossEntropy() ? { loss, accuracy: hits / Math.max(1, count) } : { loss };
  }

  private isCrossEntropy(): boolean {
    return this.lossName === 'categoricalCrossentropy' || this.lossName === 'sparseCategoricalCrossentropy' || this.lossName === 'binaryCrossentropy';
  }

  private output(inputs: tf.Tensor, training: boolean): tf.Tensor {
    return this.fromLogits ? applyForLogits(this.layersModel, inputs, training) : (this.layersModel.apply(inputs, { training }) as tf.Tensor);
  }

  private lossOf(targets: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
    if (this.lossFunction) return reducePerSample(this.lossFunction(targets, output));
    return perSampleLoss(this.lossName!, targets, output, this.fromLogits ? 'logits' : 'probabilities');
  }

  private correctCount(batch: TensorBatch): tf.Scalar {
    if (!this.isCrossEntropy()) return tf.scalar(0);
    const output = this.output(batch.inputs, false);
    const last = output.rank - 1;
    if (this.lossName === 'binaryCrossentropy') {
      const threshold = this.fromLogits ? 0 : 0.5;
      const predicted = tf.cast(tf.greater(output, threshold), 'float32');
      return tf.div(tf.sum(tf.cast(tf.equal(predicted, tf.round(tf.cast(batch.targets, 'float32'))), 'float32')), output.size / output.shape[0]) as tf.Scalar;
    }
    const predicted = tf.argMax(output, last);
    const truth = this.lossName === 'sparseCategoricalCrossentropy' ? tf.reshape(tf.cast(batch.targets, 'int32'), predicted.shape) : tf.argMax(batch.targets, last);
    return tf.div(tf.sum(tf.cast(tf.equal(predicted, truth), 'float32')), predicted.size / predicted.shape[0]) as tf.Scalar;
  }
}
