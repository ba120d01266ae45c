/**
 * How many quantization parameters a tensor gets: one for the whole tensor, or one per slice along
 * `channelAxis` (weights: the output channel, i.e. the last axis of a Conv2d filter [k, k, in, out]
 * or a Dense kernel [in, out]; axis 2 of a depthwise filter [k, k, in, 1]).
 */
export type Granularity = 'perTensor' | 'perChannel';

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
