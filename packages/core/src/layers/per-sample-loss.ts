import * as tf from '@tensorflow/tfjs-core';

/** The loss names `model.compile` accepts that have a per-sample form here. */
export const LOSS_NAMES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** A loss given as a function: one value per sample (or a tensor averaged over every axis but the first). */
export type PerSampleLossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** What the model's output is, for the cross-entropies: probabilities, or the logits before its softmax/sigmoid. */
export type OutputKind = 'probabilities' | 'logits';

/** Keras' aliases (`compile` accepts them too). */
const ALIASES: Record<string, LossName> = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  MAE: 'meanAbsoluteError',
};

/** tfjs-layers' (and Keras') fuzz factor for probabilities: p is clipped to [ε, 1 − ε]. */
const EPSILON = 1e-7;

/** The canonical name of a loss `compile` accepts, or a `RangeError` naming the accepted ones. */
export function lossName(name: string): LossName {
  if ((LOSS_NAMES as readonly string[]).includes(name)) return name as LossName;
  const alias = ALIASES[name];
  if (alias) return alias;
  throw new RangeError(`loss: expected one of ${LOSS_NAMES.join(', ')} (or a function returning one loss per sample), found '${name}'`);
}

/**
 * ℓᵢ for every sample i, shape [batch]: the formula of `model.compile`'s loss of that name before its
 * batch mean (tfjs-layers `losses.ts`), averaged over any axes between the batch and the last one.
 * Cross-entropies on `'logits'` use the log-softmax / log-sigmoid of the logits, as Keras does for a
 * softmax or sigmoid output layer (no clipping); on `'probabilities'` p is normalised (categorical)
 * and clipped to [1e-7, 1 − 1e-7], as tfjs-layers does.
 */
export function perSampleLoss(name: LossName, yTrue: tf.Tensor, yPred: tf.Tensor, output: OutputKind = 'probabilities'): tf.Tensor1D {
  return tf.tidy(() => {
    const lastAxis = yPred.rank - 1;
    let perElement: tf.Tensor;
    switch (name) {
      case 'categoricalCrossentropy':
        perElement = categorical(yTrue, yPred, output);
        break;
      case 'sparseCategoricalCrossentropy': {
        const classes = yPred.shape[lastAxis];
        const labels = tf.cast(tf.floor(tf.reshape(yTrue, [-1])), 'int32');
        perElement = categorical(tf.reshape(tf.oneHot(labels, classes), yPred.shape), yPred, output);
        break;
      }
      case 'binaryCrossentropy': {
        const logits = output === 'logits' ? yPred : tf.log(tf.div(tf.clipByValue(yPred, EPSILON, 1 - EPSILON), tf.sub(1, tf.clipByValue(yPred, EPSILON, 1 - EPSILON))));
        const z = tf.cast(yTrue, 'float32');
        // max(x, 0) − x·z + log(1 + e^−|x|): the stable sigmoid cross-entropy
        perElement = tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))), -1);
        break;
      }
      case 'meanSquaredError':
        perElement = tf.mean(tf.square(tf.sub(yPred, yTrue)), -1);
        break;
      case 'meanAbsoluteError':
        perElement = tf.mean(tf.abs(tf.sub(yPred, yTrue)), -1);
        break;
    }
    return reducePerSample(perElement);
  });
}

/** A per-sample loss tensor of shape [b, …] averaged over every axis but the first, to shape [b]. */
export function reducePerSample(losses: tf.Tensor): tf.Tensor1D {
  if (losses.rank === 1) return losses as tf.Tensor1D;
  if (losses.rank === 0) throw new RangeError('loss function: expected one loss per sample (shape [batch, …]), found a scalar');
  return tf.mean(losses, Array.from({ length: losses.rank - 1 }, (_, k) => k + 1)) as tf.Tensor1D;
}

function categorical(yTrue: tf.Tensor, yPred: tf.Tensor, output: OutputKind): tf.Tensor {
  const lastAxis = yPred.rank - 1;
  const target = tf.cast(yTrue, 'float32');
  if (output === 'logits') return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(yPred, lastAxis)), lastAxis));
  const normalised = tf.clipByValue(tf.div(yPred, tf.sum(yPred, lastAxis, true)), EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(target, tf.log(normalised)), lastAxis));
}
