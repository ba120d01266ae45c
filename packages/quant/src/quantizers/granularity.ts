import * as tf from '@tensorflow/tfjs-core';

/**
 * How many quantization parameters a tensor gets: one for the whole tensor, or one per slice along
 * `channelAxis` (weights: the output channel, i.e. the last axis of a Conv2d filter [k, k, in, out]
 * or a Dense kernel [in, out]; axis 2 of a depthwise filter [k, k, in, 1]).
 */
export type Granularity = 'perTensor' | 'perChannel';

/** Number of parameters (steps, ranges) a tensor of `shape` needs. */
export function parameterCount(shape: readonly number[], granularity: Granularity, channelAxis: number): number {
  return granularity === 'perTensor' ? 1 : shape[resolveAxis(shape.length, channelAxis)];
}

/** Shape a [C] parameter vector is reshaped to so it broadcasts against a tensor of `shape`. */
export function broadcastShape(shape: readonly number[], granularity: Granularity, channelAxis: number): number[] {
  const target = shape.map(() => 1);
  if (granularity === 'perChannel') {
    const axis = resolveAxis(shape.length, channelAxis);
    target[axis] = shape[axis];
  }
  return target;
}

/** Axes a per-parameter statistic reduces over (all, or all but the channel axis). */
export function reductionAxes(rank: number, granularity: Granularity, channelAxis: number): number[] {
  const axes = Array.from({ length: rank }, (_, i) => i);
  if (granularity === 'perTensor') return axes;
  const axis = resolveAxis(rank, channelAxis);
  return axes.filter((a) => a !== axis);
}

/** `channelAxis` made non-negative; throws if it is not an axis of a rank-`rank` tensor. */
export function resolveAxis(rank: number, channelAxis: number): number {
  const axis = channelAxis < 0 ? rank + channelAxis : channelAxis;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    throw new RangeError(`channelAxis: expected an axis of a rank-${rank} tensor, found ${channelAxis}`);
  }
  return axis;
}

/**
 * Sums `x` down to `shape` (the reverse of broadcasting), as a gradient of a broadcast input must be:
 * leading extra axes and axes where `shape` has 1 are summed.
 */
export function sumToShape(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const extra = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < extra || (shape[i - extra] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(x, axes, true) : x;
  return tf.reshape(summed, [...shape]);
}
