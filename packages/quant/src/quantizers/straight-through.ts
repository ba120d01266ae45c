import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from './custom-gradient';

// These ops keep nothing for the backward pass (their gradients do not depend on the input), so
// they never `save`: tfjs 4.22 counts a customGrad's saved clones as leaked data when IS_TEST is
// set, and on wasm a clone is a copy.

const roundOp = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.round(x),
  gradFunc: (dy: tf.Tensor) => dy,
})) as unknown as CustomGradientFunc);

const stopOp = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as CustomGradientFunc);

/**
 * round(x) forward, identity backward: the straight-through estimator (Bengio et al. 2013,
 * "Estimating or Propagating Gradients Through Stochastic Neurons"), PyTorch's
 * `(x.round() − x).detach() + x`. Needed because tf.round's own gradient is zero.
 * Rounds halves to even, as tf.round and torch.round do.
 */
export function roundStraightThrough<T extends tf.Tensor>(x: T): T {
  return roundOp(x) as T;
}

/** x forward, zero gradient backward (PyTorch's `detach`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopOp(x) as T;
}

/**
 * x forward, g·dy backward: LSQ's `grad_scale` (Esser et al. 2020, §2.2, Appendix), which
 * multiplies the step-size gradient by g without changing the forward pass.
 */
export function scaleGradient<T extends tf.Tensor>(x: T, scale: number): T {
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.mul(dy, scale),
  })) as unknown as CustomGradientFunc);
  return op(x) as T;
}
