import type * as tf from '@tensorflow/tfjs-core';
import type { LayerObject } from './quantizable-layer';

/** What an intercepted layer does to its input and weight before its own `apply` runs. */
export interface LayerTransforms {
  input(x: tf.Tensor): tf.Tensor;
  weight(w: tf.Variable): tf.Tensor;
}

const intercepted = new WeakSet<object>();

/**
 * Makes `layer.apply(x)` compute `apply(T_in(x))` with `layer[weightKey]` replaced by `T_w(weight)`
 * for the duration of the call, whenever `transformsNow()` returns transforms; otherwise the layer
 * runs untouched. The layer's class is not changed: an own `apply` property shadows the
 * prototype's, and the returned function removes it again.
 *
 * This is how QAT swaps a Conv2d filter for its fake-quantized version without the model's code
 * knowing. Gradients flow to the real weight through T_w, since the swapped-in tensor is computed
 * from it inside the caller's gradient scope.
 */
export function interceptLayer(
  layer: LayerObject,
  weightKey: string,
  transformsNow: () => LayerTransforms | undefined,
): () => void {
  if (intercepted.has(layer)) throw new Error('interceptLayer: layer is already intercepted (two QAT wrappers around one model?)');
  intercepted.add(layer);
  const hadOwnApply = Object.prototype.hasOwnProperty.call(layer, 'apply');
  const original = layer.apply;
  const weight = layer[weightKey] as tf.Variable;
  layer.apply = (x: tf.Tensor): tf.Tensor => {
    const transforms = transformsNow();
    if (!transforms) return original.call(layer, x);
    const quantizedInput = transforms.input(x);
    layer[weightKey] = transforms.weight(weight);
    try {
      return original.call(layer, quantizedInput);
    } finally {
      layer[weightKey] = weight;
    }
  };
  return () => {
    if (hadOwnApply) layer.apply = original;
    else delete (layer as Partial<LayerObject>).apply;
    intercepted.delete(layer);
  };
}
