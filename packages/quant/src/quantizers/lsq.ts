import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from './custom-gradient';
import { broadcastShape, type Granularity } from './granularity';
import type { IntegerRange } from './integer-range';

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
 * LSQ fake quantization (Esser et al. 2020, "Learned Step Size Quantization", ICLR, Eq. 1–3):
 *
 *   v̂ = round(clip(v/s, −Qn, Qp)) · s
 *
 * with explicit gradients (tf.round's own gradient is zero, so the straight-through estimator has
 * to be written out):
 *
 *   ∂v̂/∂v = 1 if −Qn ≤ v/s ≤ Qp, else 0                                   (STE, Eq. 5)
 *   ∂v̂/∂s = (−v/s + round(v/s)) inside, −Qn if v/s < −Qn, Qp if v/s > Qp   (Eq. 3)
 *
 * the step gradient multiplied by g (§2.2) and summed over the values sharing each step.
 * `step` holds one element (per tensor) or one per slice along `channelAxis` (per channel); the
 * broadcast happens inside the op, so the op is one node on the gradient tape.
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
  const op = tf.customGrad(((v: tf.Tensor, s: tf.Tensor, save: tf.GradSaveFunc) => {
    save([v, s]);
    const broadcastStep = tf.reshape(tf.maximum(s, minimumStep), shape);
    const value = tf.mul(tf.round(tf.clipByValue(tf.div(v, broadcastStep), -qn, qp)), broadcastStep);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedValues, savedStep] = saved;
      const scaled = tf.div(savedValues, tf.reshape(tf.maximum(savedStep, minimumStep), shape));
      const below = tf.less(scaled, -qn);
      const above = tf.greater(scaled, qp);
      const inside = tf.logicalNot(tf.logicalOr(below, above));
      const valueGrad = tf.mul(dy, tf.cast(inside, 'float32'));
      const stepSlope = tf.where(
        below,
        tf.fill(scaled.shape, -qn),
        tf.where(above, tf.fill(scaled.shape, qp), tf.sub(tf.round(scaled), scaled)),
      );
      const axes = shape.flatMap((size, axis) => (size === 1 ? [axis] : []));
      const perStep = tf.reshape(tf.sum(tf.mul(dy, stepSlope), axes), savedStep.shape);
      const stepGrad = tf.mul(tf.mul(perStep, gradScale), tf.cast(tf.greaterEqual(savedStep, minimumStep), 'float32'));
      return [valueGrad, stepGrad];
    };
    return { value, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(values, step) as T;
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
