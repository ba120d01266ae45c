import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type Dataset, type EvaluateOptions, type ForwardMode, type Task } from '@ausam/core';
import { disposeClassificationBatch, type ClassificationBatch } from '../data/classification-batch';
import type { ClassifierModel } from '../models/classifier-model';
import { resolveLabelSmoothing, smoothedTargets, type LabelSmoothing } from './label-smoothing';
import { checkClassifierModel } from './classifier-contract';

export interface ClassificationTaskConfig {
  /**
   * Label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture", §7): a number ε
   * in [0, 1) is the 'uniform' form, (1 − ε)·one-hot + ε/K (PyTorch's convention); `{ epsilon, form:
   * 'authors' }` is ajiaaa/AUSAM's KL form (see {@link LabelSmoothingForm}). Default none.
   */
  readonly labelSmoothing?: number | LabelSmoothing;
  /** Default 'classification'. */
  readonly name?: string;
}

/** Evaluation mode: running statistics are used and never moved. */
const EVAL_MODE: ForwardMode = { training: false, updateStatistics: false };
const DEFAULT_EVAL_BATCH_SIZE = 256;

/**
 * Image classification with softmax cross-entropy, as core's {@link Task}: per-sample losses for
 * SAM/AUSAM steps, sub-batch selection, and evaluation (top-1 accuracy, mean cross-entropy, and
 * top-5 accuracy when there are more than 5 classes).
 */
export class ClassificationTask implements Task<ClassificationBatch> {
  readonly name: string;
  readonly labelSmoothing: LabelSmoothing;

  constructor(
    readonly model: ClassifierModel,
    config: ClassificationTaskConfig = {},
  ) {
    checkClassifierModel(model, config.name ?? 'classification');
    this.labelSmoothing = resolveLabelSmoothing(config.labelSmoothing, 'ClassificationTask: labelSmoothing');
    this.name = config.name ?? 'classification';
  }

  /** Softmax cross-entropy of each sample (with label smoothing if configured), shape [batch]. */
  perSampleLoss(batch: ClassificationBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => crossEntropy(this.model.forward(batch.images, mode), batch.labels, this.labelSmoothing));
  }

  /**
   * A new batch holding the samples at `positions` (the input batch is left as is), copied with core's
   * `selectRows` (the same values as `tf.gather`, faster on wasm).
   */
  selectSamples(batch: ClassificationBatch, positions: Int32Array): ClassificationBatch {
    const size = batch.ids.length;
    for (const p of positions) {
      if (!Number.isInteger(p) || p < 0 || p >= size) {
        throw new RangeError(`ClassificationTask.selectSamples: position ${p} outside a batch of ${size}`);
      }
    }
    const ids = Int32Array.from(positions, (p) => batch.ids[p]);
    return { ids, images: selectRows(batch.images, positions), labels: selectRows(batch.labels, positions) };
  }

  disposeBatch(batch: ClassificationBatch): void {
    disposeClassificationBatch(batch);
  }

  /**
   * Metrics on the first `limit` samples (all by default) in evaluation mode — no augmentation (no
   * rng), BatchNorm running statistics used and left untouched: `accuracy` (top-1), `loss` (mean
   * cross-entropy without label smoothing), and `top5` when the model has more than 5 classes.
   * Disposes the batches it draws.
   */
  async evaluate(dataset: Dataset<ClassificationBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const batchSize = options.batchSize ?? DEFAULT_EVAL_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`ClassificationTask.evaluate: batchSize must be a positive integer, found ${batchSize}`);
    }
    const limit = options.limit ?? dataset.size;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`ClassificationTask.evaluate: limit must be a non-negative integer, found ${limit}`);
    }
    const n = Math.min(limit, dataset.size);
    if (n === 0) throw new RangeError('ClassificationTask.evaluate: no samples to evaluate');
    const ids = Int32Array.from({ length: n }, (_, i) => i);

    let count = 0;
    let lossSum = 0;
    let correct = 0;
    let correctTop5 = 0;
    let numClasses = 0;
    for await (const batch of dataset.batches(ids, batchSize)) {
      try {
        const stats = tf.tidy(() => {
          const logits = this.model.forward(batch.images, EVAL_MODE);
          numClasses = logits.shape[1];
          const labels = batch.labels;
          const losses = crossEntropy(logits, labels, 0);
          const hits = tf.equal(tf.argMax(logits, 1), labels);
          const parts: tf.Tensor[] = [tf.sum(losses), tf.sum(tf.cast(hits, 'float32'))];
          if (numClasses > 5) {
            const { indices } = tf.topk(logits, 5);
            const inTop5 = tf.any(tf.equal(indices, tf.expandDims(labels, 1)), 1);
            parts.push(tf.sum(tf.cast(inTop5, 'float32')));
          }
          return tf.stack(parts);
        });
        const values = await stats.data();
        stats.dispose();
        count += batch.ids.length;
        lossSum += values[0];
        correct += values[1];
        if (values.length > 2) correctTop5 += values[2];
      } finally {
        this.disposeBatch(batch);
      }
    }
    if (count === 0) throw new Error('ClassificationTask.evaluate: the dataset yielded no samples');
    const metrics: Record<string, number> = { accuracy: correct / count, loss: lossSum / count };
    if (numClasses > 5) metrics.top5 = correctTop5 / count;
    return metrics;
  }
}

/**
 * Per-sample softmax cross-entropy −Σ_k t_k·log softmax(z)_k against the smoothed target t
 * ({@link LabelSmoothingForm}; a number is ε in the 'uniform' form, t = (1 − ε)·one-hot(y) + ε/K);
 * the 'authors' form adds Σ_k t_k·log t_k, giving their KL divergence.
 * Stable: log softmax(z) = (z − m) − log Σ_k exp(z_k − m) with m = max_k z_k, so no exp overflows.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, labelSmoothing: number | LabelSmoothing = 0): tf.Tensor1D {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const logProbabilities = logSoftmax(logits);
    // int32 one-hot, then cast: tfjs-backend-wasm 4.22's OneHot writes int32 bits whatever `dtype` asks.
    let targets: tf.Tensor = tf.cast(tf.oneHot(labels, numClasses), 'float32');
    const { trueClass, otherClass, targetLogTarget } = smoothedTargets(resolveLabelSmoothing(labelSmoothing), numClasses);
    if (otherClass > 0) targets = tf.add(tf.mul(targets, trueClass - otherClass), otherClass);
    const loss = tf.neg(tf.sum(tf.mul(targets, logProbabilities), 1)) as tf.Tensor1D;
    return targetLogTarget === 0 ? loss : (tf.add(loss, targetLogTarget) as tf.Tensor1D);
  });
}

/**
 * Row-wise log-softmax from plain ops. tf.logSoftmax is a customGrad op, and on tfjs-backend-wasm
 * 4.22 its tape bookkeeping trips tfjs' kernel leak check whenever the `IS_TEST` flag is on (as in
 * this repo's jest setup); the composed form has the same value and gradient (the gradient through
 * the max shift cancels exactly) on every backend.
 */
function logSoftmax(logits: tf.Tensor2D): tf.Tensor2D {
  const shifted = tf.sub(logits, tf.max(logits, 1, true));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
}
