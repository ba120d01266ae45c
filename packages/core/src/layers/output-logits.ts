import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A layer whose `call` ends with `this.activation.apply(…)` (Dense, Conv2D, Activation). */
interface ActivatedLayer {
  activation?: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
}

/** The identity activation put in for the logits pass. */
const IDENTITY = { apply: (x: tf.Tensor) => x, getClassName: () => 'linear' };

/**
 * The activation ('softmax' | 'sigmoid') of `model`'s single output layer, when it is one of those:
 * its cross-entropy is then computed from the logits, as Keras does (no log of a rounded probability).
 */
export function finalActivation(model: LayersModel): 'softmax' | 'sigmoid' | undefined {
  const layer = outputLayer(model);
  const name = layer?.activation?.getClassName?.();
  return name === 'softmax' || name === 'sigmoid' ? name : undefined;
}

/**
 * `model.apply(x)` with the output layer's softmax/sigmoid left out: the logits. The layer's
 * activation is swapped for the identity during this synchronous call only and put back in
 * `finally`, so nothing else ever sees the swap.
 */
export function applyForLogits(model: LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const layer = outputLayer(model);
  if (!layer?.activation) throw new Error(`applyForLogits: model '${model.name}' has no output activation to leave out`);
  const activation = layer.activation;
  layer.activation = IDENTITY;
  try {
    return model.apply(x, { training }) as tf.Tensor;
  } finally {
    layer.activation = activation;
  }
}

function outputLayer(model: LayersModel): ActivatedLayer | undefined {
  if (model.outputs.length !== 1) return undefined;
  return model.outputs[0].sourceLayer as unknown as ActivatedLayer;
}
