import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { lsqFakeQuantize, lsqGradScale, lsqInitialStep } from './lsq';
import { integerRange } from './integer-range';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** round() as tf.round does it: halves to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** LSQ's formulas in plain JS, element by element (step is a power of two, so float32 is exact). */
function reference(v: number, s: number, qn: number, qp: number) {
  const scaled = v / s;
  const value = roundHalfEven(Math.min(Math.max(scaled, -qn), qp)) * s;
  const inside = scaled >= -qn && scaled <= qp;
  const stepSlope = scaled < -qn ? -qn : scaled > qp ? qp : roundHalfEven(scaled) - scaled;
  return { value, valueGrad: inside ? 1 : 0, stepSlope };
}

const clean = (xs: ArrayLike<number>) => Array.from(xs, (x) => x + 0); // −0 → 0

describe('lsqFakeQuantize', () => {
  // signed 3 bits: Qn = 4, Qp = 3; s = 0.5 → v/s = −6, −4, −2.6, −0.5, 0, 0.5, 1.25·2 = 2.5, 1.48, 3, 3.2, 10
  const values = [-3, -2, -1.3, -0.25, 0, 0.25, 1.25, 0.74, 1.5, 1.6, 5];
  const { qn, qp } = integerRange(3, true);

  it('forward equals round(clip(v/s, −Qn, Qp))·s exactly, halves rounded to even', () => {
    const out = lsqFakeQuantize(tf.tensor1d(values), tf.scalar(0.5), { qn, qp, gradScale: 1 });
    expect(clean(out.dataSync())).toEqual([-2, -2, -1.5, 0, 0, 0, 1, 0.5, 1.5, 1.5, 1.5]);
    expect(clean(out.dataSync())).toEqual(values.map((v) => reference(v, 0.5, qn, qp).value + 0));
  });

  it('unsigned grid clips negatives to 0 and the top at Qp·s', () => {
    const range = integerRange(2, false); // Qn = 0, Qp = 3
    const out = lsqFakeQuantize(tf.tensor1d([-1, 0.2, 0.3, 0.9, 2]), tf.scalar(0.25), { ...range, gradScale: 1 });
    expect(clean(out.dataSync())).toEqual([0, 0.25, 0.25, 0.75, 0.75]);
  });

  it('gradients wrt v (STE) and s equal LSQ formulas, with the upstream gradient and g applied', () => {
    const upstream = values.map((_, i) => (i % 3) + 1);
    const gradScale = lsqGradScale(values.length, qp);
    // dy = upstream: the op is the only node on the tape (no registered gradient needed).
    const [valueGrad, stepGrad] = tf.grads((v: tf.Tensor, s: tf.Tensor) => lsqFakeQuantize(v, s, { qn, qp, gradScale }))(
      [tf.tensor1d(values), tf.scalar(0.5)],
      tf.tensor1d(upstream),
    );
    const expected = values.map((v) => reference(v, 0.5, qn, qp));
    expect(Array.from(valueGrad.dataSync())).toEqual(expected.map((e, i) => e.valueGrad * upstream[i]));
    // below: −6 → −Qn; boundaries −4 and 3 are inside (slope 0); above: 3.2, 10 → Qp
    expect(expected.map((e) => e.stepSlope)).toEqual([-4, 0, -3 + 2.6, 0.5, 0, -0.5, -0.5, 1 - 1.48, 0, 3, 3]);
    const stepExpected = gradScale * expected.reduce((sum, e, i) => sum + e.stepSlope * upstream[i], 0);
    expect(stepGrad.shape).toEqual([]);
    expect(stepGrad.dataSync()[0]).toBeCloseTo(stepExpected, 5);
  });

  it('sums the step gradient per channel for a per-channel step', () => {
    // two channels on the last axis, steps 0.5 and 0.25; unsigned 2 bits (Qp = 3)
    const v = tf.tensor2d([
      [0.3, 1.0],
      [2.0, -0.1],
    ]);
    const s = tf.tensor1d([0.5, 0.25]);
    const [valueGrad, stepGrad] = tf.grads((x: tf.Tensor, step: tf.Tensor) =>
      lsqFakeQuantize(x, step, { qn: 0, qp: 3, gradScale: 0.5, channelAxis: 1 }),
    )([v, s], tf.onesLike(v));
    // channel 0: v/s = 0.6 (inside, slope 1 − 0.6), 4 (above, 3); channel 1: 4 (above, 3), −0.4 (below, −0)
    expect(Array.from(valueGrad.dataSync())).toEqual([1, 0, 0, 0]);
    expect(stepGrad.shape).toEqual([2]);
    const [g0, g1] = Array.from(stepGrad.dataSync());
    expect(g0).toBeCloseTo(0.5 * (1 - 0.6 + 3), 5);
    expect(g1).toBeCloseTo(0.5 * (3 + 0), 5);
  });
});

describe('LSQ constants', () => {
  it('g = 1/sqrt(N·Qp) and s₀ = 2·mean|v|/sqrt(Qp)', () => {
    expect(lsqGradScale(50, 2)).toBeCloseTo(0.1, 12);
    const range = integerRange(4, true); // Qp = 7
    const s0 = lsqInitialStep(tf.tensor1d([-1, 2, -3, 4]), range, [0]);
    expect(s0.shape).toEqual([1]);
    expect(s0.dataSync()[0]).toBeCloseTo((2 * 2.5) / Math.sqrt(7), 6);
  });
});
