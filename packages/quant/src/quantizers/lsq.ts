import * as tf from '@tensorflow/tfjs-core';
// Core registers tfjs-core's gradients (the composed ops below need Div, Mul, ClipByValue, Reshape…).
import '@ausam/core';
import { broadcastShape, type Granularity } from './granularity';
import type { IntegerRange } from './integer-range';
import { roundStraightThrough, scaleGradient } from './straight-through';

/** What one LSQ fake-quantization needs besides the tensors. */
export interface LsqParameters {
  readonly qn: number;
  readonly qp: number;
  /** g in ∂L/∂s, see {@link lsqGradScale}. */
  readonly gradScale: number;
  /** Axis the steps run along when `step` has more than one element; default −1. */
  readonly channelAxis?: number;
  /** Floor on s in the forward pass (s < floor acts as floor and gets no gradient); default 1e-8. */
  readonly minimumStep?: number;
}

/**
 * LSQ fake quantization (Esser et al. 2020, "Learned Step Size Quantization", ICLR, Eq. 1–2):
 *
 *   v̂ = round(clip(v/s, −Qn, Qp)) · s
 *
 * computed as ŝ · R(clip(v/ŝ, −Qn, Qp)), with R the straight-through round
 * ({@link roundStraightThrough}: tf.round's own gradient is zero) and ŝ = s with its gradient
 * scaled by g ({@link scaleGradient}, §2.2). Differentiating that gives exactly LSQ's gradients:
 *
 *   ∂v̂/∂v = 1 if −Qn ≤ v/s ≤ Qp, else 0                                   (STE, Eq. 5)
 *   ∂v̂/∂s = g·(−v/s + round(v/s)) inside, g·(−Qn) below, g·Qp above       (Eq. 3)
 *
 * (clip's gradient is the inside mask, inclusive; outside, clip is constant and only the round
 * term, −Qn or Qp, remains), summed over the values that share a step.
 *
 * `step` holds one element (per tensor) or one per slice along `channelAxis` (per channel).
 * Rounding is tf.round's round-half-to-even, as torch.round does.
 */
export function lsqFakeQuantize<T extends tf.Tensor>(values: T, step: tf.Tensor, parameters: LsqParameters): T {
  const { qn, qp, gradScale } = parameters;
  const minimumStep = parameters.minimumStep ?? 1e-8;
  const granularity: Granularity = step.size === 1 ? 'perTensor' : 'perChannel';
  const shape = broadcastShape(values.shape, granularity, parameters.channelAxis ?? -1);
  if (shape.reduce((a, b) => a * b, 1) !== step.size) {
    throw new RangeError(
      `lsqFakeQuantize: ${step.size} steps do not match axis ${parameters.channelAxis ?? -1} of shape [${values.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const scaledStep = tf.reshape(scaleGradient(tf.maximum(step, minimumStep), gradScale), shape);
    const codes = roundStraightThrough(tf.clipByValue(tf.div(values, scaledStep), -qn, qp));
    return tf.mul(codes, scaledStep) as T;
  });
}

/**
 * LSQ's step-gradient scale g = 1/√(N·Qp) (Esser et al. 2020, §2.2), N the number of weights that
 * share the step, or the number of features of one sample for activations.
 */
export function lsqGradScale(count: number, qp: number): number {
  return 1 / Math.sqrt(count * qp);
}

/**
 * LSQ's initial step 2·⟨|v|⟩/√Qp (Esser et al. 2020, §2.1), the mean taken over `axes`
 * (all axes per tensor; all but the channel axis per channel), returned flat (one per step).
 */
export function lsqInitialStep(values: tf.Tensor, range: IntegerRange, axes: number[]): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tf.div(tf.mul(tf.mean(tf.abs(values), axes), 2), Math.sqrt(range.qp)), [-1]));
}
