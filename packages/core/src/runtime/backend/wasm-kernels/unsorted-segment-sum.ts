import * as tf from '@tensorflow/tfjs-core';
import { asTensor, kernelError, requireInput, type KernelArgs } from './kernel-util';

const name = tf.UnsortedSegmentSum;

/**
 * `UnsortedSegmentSum` (used by the gradient of `gather`) for the wasm backend, composed from
 * wasm's ScatterNd (which accumulates duplicate indices), Select, comparisons and Slice.
 *
 * `out[s, ...] = Σ_{i: segmentIds[i] = s} x[i, ...]` for 1-D `segmentIds` (tfjs' contract).
 * Ids outside `[0, numSegments)` contribute nothing, as in TensorFlow: they are routed to an extra
 * trash row `numSegments` that is sliced off, so ScatterNd never indexes out of range.
 * Unlike a oneHot·matMul formulation this costs O(size of x) time and memory, not
 * O(numSegments · size of x), sums int32 data exactly, and avoids wasm 4.22's OneHot, which writes
 * int32 bits whatever dtype is asked for. The result keeps `x`'s dtype.
 */
export function unsortedSegmentSum({ inputs, attrs }: KernelArgs): tf.Tensor {
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const xInfo = requireInput(name, inputs, 'x');
  const idsInfo = requireInput(name, inputs, 'segmentIds');
  if (xInfo.dtype !== 'float32' && xInfo.dtype !== 'int32') {
    throw kernelError(name, `x dtype '${xInfo.dtype}' is not supported (float32 or int32)`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw kernelError(name, `numSegments must be a non-negative integer, got ${numSegments}`);
  }
  if (idsInfo.shape.length !== 1 || xInfo.shape.length === 0 || idsInfo.shape[0] !== xInfo.shape[0]) {
    // tfjs documents segmentIds as a Tensor1D; its cpu backend reads higher ranks unlike TensorFlow.
    throw kernelError(name, `segmentIds must be 1-D with one id per row of x; got shape [${idsInfo.shape.join(', ')}] for x shape [${xInfo.shape.join(', ')}]`);
  }
  const [count, ...rest] = xInfo.shape as [number, ...number[]];

  return tf.tidy(() => {
    const x = asTensor(xInfo);
    if (count === 0 || numSegments === 0 || tf.util.sizeFromShape(rest) === 0) {
      return tf.zeros([numSegments, ...rest], x.dtype);
    }
    const rawIds = asTensor(idsInfo);
    const ids = rawIds.dtype === 'int32' ? rawIds : tf.cast(rawIds, 'int32');
    const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
    const routed = tf.where(valid, ids, tf.fill([count], numSegments, 'int32'));
    const sums = tf.scatterND(tf.reshape(routed, [count, 1]), x, [numSegments + 1, ...rest]);
    return tf.slice(sums, 0, numSegments);
  });
}
