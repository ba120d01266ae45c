import * as tf from '@tensorflow/tfjs-core';
// Core registers tfjs-core's gradients (the composed ops below need Div, Mul, ClipByValue, …).
import '@ausam/core';
import { broadcastShape, reductionAxes, type Granularity } from './granularity';
import { validateBitWidth } from './integer-range';
import { roundStraightThrough, stopGradient } from './straight-through';

/** Where the range of {@link uniformFakeQuantize} comes from. */
export interface UniformQuantizeOptions {
  /**
   * [m, M] as tensors of one element (per tensor) or one per channel. Absent: the min/max of
   * `values` itself (per tensor or per channel as `perChannel` says), not differentiated.
   */
  readonly range?: { readonly min: tf.Tensor; readonly max: tf.Tensor };
  /** One range per slice along `channelAxis` when the range is taken from the values; default false. */
  readonly perChannel?: boolean;
  /** Axis of per-channel ranges; default −1. */
  readonly channelAxis?: number;
}

/**
 * Asymmetric (affine) uniform fake quantization over a range [m, M], as in Jacob et al. 2018
 * ("Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only
 * Inference", CVPR, §2.1, §3) and TF's FakeQuantWithMinMaxVars:
 *
 *   m' = min(m, 0), M' = max(M, 0)           (0 must be exactly representable)
 *   Δ = (M' − m') / (2^b − 1),  z = round(−m'/Δ)
 *   q = clip(round(v/Δ) + z, 0, 2^b − 1),    v̂ = (q − z)·Δ
 *
 * Gradient: the straight-through estimator (Bengio et al. 2013) masked as in PyTorch's
 * fake_quantize_per_*_affine, ∂v̂/∂v = 1 where 0 ≤ round(v/Δ) + z ≤ 2^b − 1, else 0 — the result
 * of differentiating (clip(R(v/Δ) + z, 0, 2^b − 1) − z)·Δ with R the straight-through round and
 * clip's inclusive mask. The range is a statistic, not a trained parameter: its gradient is 0.
 */
export function uniformFakeQuantize<T extends tf.Tensor>(values: T, bits: number, options: UniformQuantizeOptions = {}): T {
  validateBitWidth(bits);
  const levels = 2 ** bits - 1;
  const channelAxis = options.channelAxis ?? -1;
  const given = options.range;
  const granularity: Granularity = given
    ? given.min.size === 1
      ? 'perTensor'
      : 'perChannel'
    : options.perChannel
      ? 'perChannel'
      : 'perTensor';
  const shape = broadcastShape(values.shape, granularity, channelAxis);
  const count = shape.reduce((a, b) => a * b, 1);
  if (given && (given.min.size !== count || given.max.size !== count)) {
    throw new RangeError(
      `uniformFakeQuantize: ranges of ${given.min.size}/${given.max.size} elements do not match axis ${channelAxis} of shape [${values.shape.join(', ')}]`,
    );
  }
  const axes = reductionAxes(values.rank, granularity, channelAxis);
  return tf.tidy(() => {
    // The grid is a statistic of the range (or of v itself): no gradient flows into it.
    const low = stopGradient(tf.minimum(given ? tf.reshape(given.min, shape) : tf.min(values, axes, true), 0));
    const high = stopGradient(tf.maximum(given ? tf.reshape(given.max, shape) : tf.max(values, axes, true), 0));
    // A constant-zero tensor has an empty range: any positive Δ represents it exactly.
    const scale = tf.maximum(tf.div(tf.sub(high, low), levels), 1e-12);
    const zeroPoint = tf.round(tf.div(tf.neg(low), scale));
    const codes = tf.clipByValue(tf.add(roundStraightThrough(tf.div(values, scale)), zeroPoint), 0, levels);
    return tf.mul(tf.sub(codes, zeroPoint), scale) as T;
  });
}
