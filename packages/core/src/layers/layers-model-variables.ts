import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A layers-model weight as tfjs-layers exposes it (`LayerVariable`): the engine variable is behind `read()`. */
interface LayerWeight {
  read(): tf.Variable;
  readonly trainable: boolean;
}

/** A variable with the stable name core's checkpoints use (see `variableName` in core's parameter registry). */
type NamedVariable = tf.Variable & { ausamName?: string };

/** The engine variables of `model`'s trainable weights, in `model.trainableWeights` order. */
export function trainableVariablesOf(model: LayersModel): tf.Variable[] {
  return (model.trainableWeights as unknown as LayerWeight[]).map((w) => w.read());
}

/** The engine variables of `model`'s non-trainable weights (BatchNorm moving statistics), in `model.nonTrainableWeights` order. */
export function nonTrainableVariablesOf(model: LayersModel): tf.Variable[] {
  return (model.nonTrainableWeights as unknown as LayerWeight[]).map((w) => w.read());
}

/**
 * Gives every weight of `model` a checkpoint name from its position, `layers/<i>/weights/<j>`
 * (layer i of `model.layers`, weight j of that layer's `weights`), so that a checkpoint does not
 * depend on tfjs-layers' global name counters (`conv2d_Conv2D3/kernel`), which change when one more
 * model is built first.
 */
export function namePositionally(model: LayersModel): void {
  model.layers.forEach((layer, i) => {
    (layer.weights as unknown as LayerWeight[]).forEach((weight, j) => {
      (weight.read() as NamedVariable).ausamName = `layers/${i}/weights/${j}`;
    });
  });
}
