import type * as tf from '@tensorflow/tfjs-core';
import { isDepthwiseFilter, variableName } from '@ausam/core';

/**
 * How one of our variables is laid out relative to PyTorch: convolution filters are HWIO here and
 * OIHW in PyTorch (depthwise: `[k, k, C, 1]` here, `[C, 1, k, k]` there), Linear kernels `[in, out]`
 * here and `[out, in]` there; vectors (biases, BatchNorm) are the same.
 */
export type TensorLayout = 'conv' | 'depthwise' | 'linear' | 'same';

/** Last segment of our variable names → PyTorch's parameter/buffer name. */
const LEAF_NAMES: Record<string, string> = {
  filter: 'weight',
  kernel: 'weight',
  gamma: 'weight',
  beta: 'bias',
  running_variance: 'running_var',
};

/**
 * The state_dict key of a variable named `name` in this package (`stage1/block0/bn1/gamma` →
 * `stage1.block0.bn1.weight`): path segments joined by '.', the leaf renamed to PyTorch's.
 */
export function pytorchKey(name: string): string {
  const parts = name.split('/');
  const leaf = parts[parts.length - 1];
  parts[parts.length - 1] = LEAF_NAMES[leaf] ?? leaf;
  return parts.join('.');
}

export function layoutOf(variable: tf.Variable): TensorLayout {
  if (variable.rank === 4) return isDepthwiseFilter(variable) ? 'depthwise' : 'conv';
  if (variable.rank === 2 && variableName(variable).endsWith('/kernel')) return 'linear';
  return 'same';
}

/** Axis order taking our layout to PyTorch's (its inverse takes PyTorch's to ours). */
const TO_PYTORCH: Record<TensorLayout, number[] | null> = {
  conv: [3, 2, 0, 1],
  depthwise: [2, 3, 0, 1],
  linear: [1, 0],
  same: null,
};
const FROM_PYTORCH: Record<TensorLayout, number[] | null> = {
  conv: [2, 3, 1, 0],
  depthwise: [2, 3, 0, 1],
  linear: [1, 0],
  same: null,
};

/** The shape PyTorch gives a tensor that has `shape` here. */
export function pytorchShape(shape: readonly number[], layout: TensorLayout): number[] {
  const order = TO_PYTORCH[layout];
  return order ? order.map((axis) => shape[axis]) : [...shape];
}

/** Our values (C order, our `shape`) in PyTorch's layout. */
export function toPyTorchLayout(data: Float32Array, shape: readonly number[], layout: TensorLayout): Float32Array {
  const order = TO_PYTORCH[layout];
  return order ? permute(data, shape, order) : data.slice();
}

/** PyTorch's values (C order, PyTorch's `shape`) in our layout. */
export function fromPyTorchLayout(data: Float32Array, shape: readonly number[], layout: TensorLayout): Float32Array {
  const order = FROM_PYTORCH[layout];
  return order ? permute(data, shape, order) : data.slice();
}

/** `out` with axes `order` of `shape` (out axis k = input axis order[k]), both C order. */
function permute(data: Float32Array, shape: readonly number[], order: readonly number[]): Float32Array {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
    inStrides[axis] = stride;
    stride *= shape[axis];
  }
  const outShape = order.map((axis) => shape[axis]);
  const strides = order.map((axis) => inStrides[axis]);
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.length; k++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += index[axis] * strides[axis];
    out[k] = data[source];
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis] < outShape[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}
