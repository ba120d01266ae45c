import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ParameterRegistry, Rng } from '@ausam/core';
import { BitWidthError } from './errors';
import { MinMaxQuantizer } from './min-max-quantizer';
import { uniformFakeQuantize } from './uniform';
import { distinctValuesPerChannel } from './distinct-values';

let registry: ParameterRegistry;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  registry = new ParameterRegistry(new Rng(0));
});
afterEach(() => registry.dispose());

const clean = (xs: ArrayLike<number>) => Array.from(xs, (x) => x + 0);

describe('uniformFakeQuantize', () => {
  it('forward is (clip(round(v/Δ) + z, 0, 2^b − 1) − z)·Δ and the STE masks codes outside the grid', () => {
    // range [0, 1.5], 2 bits: Δ = 0.5, z = 0; v/Δ = −0.6, 0.4, 0.52, 1.5, 3.2 → round −1, 0, 1, 2 (half-even), 3
    const v = tf.tensor1d([-0.3, 0.2, 0.26, 0.75, 1.6]);
    const range = { min: tf.tensor1d([0]), max: tf.tensor1d([1.5]) };
    expect(clean(uniformFakeQuantize(v, 2, { range }).dataSync())).toEqual([0, 0, 0.5, 1, 1.5]);
    const [grad] = tf.grads((x: tf.Tensor) => uniformFakeQuantize(x, 2, { range }))([v], tf.onesLike(v));
    expect(Array.from(grad.dataSync())).toEqual([0, 1, 1, 1, 1]);
  });

  it('puts zero on the grid with a zero point: range [−1, 2] at 2 bits gives Δ = 1, z = 1', () => {
    const v = tf.tensor1d([-1.6, -0.4, 0.5, 1.5, 2.6]);
    const out = uniformFakeQuantize(v, 2, { range: { min: tf.tensor1d([-1]), max: tf.tensor1d([2]) } });
    // round(v) + 1 = −1, 1, 1, 3, 4 → clip 0, 1, 1, 3, 3 → minus z
    expect(clean(out.dataSync())).toEqual([-1, 0, 0, 2, 2]);
  });

  it('takes the per-channel range from the values when none is given', () => {
    const v = tf.tensor2d([
      [0, 4],
      [3, -2],
    ]);
    // channel 0: [0, 3], Δ = 1, z = 0; channel 1: [−2, 4], Δ = 2, z = 1 — both ends on the grid
    const out = uniformFakeQuantize(v, 2, { perChannel: true });
    const values = out.dataSync();
    expect(values[0]).toBeCloseTo(0, 6);
    expect(values[2]).toBeCloseTo(3, 6);
    expect(values[1]).toBeCloseTo(4, 6);
    expect(values[3]).toBeCloseTo(-2, 6);
  });
});

describe('MinMaxQuantizer', () => {
  it.each([2, 4])('per-channel %i-bit weights take at most 2^bits distinct values per channel', (bits) => {
    const q = new MinMaxQuantizer(registry, 'w', { bits, granularity: 'perChannel' });
    const counts = distinctValuesPerChannel(q.quantize(tf.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 3)), -1);
    expect(counts).toHaveLength(6);
    for (const count of counts) {
      expect(count).toBeLessThanOrEqual(2 ** bits);
      expect(count).toBeGreaterThan(2);
    }
  });

  it('EMA range: set by the first batch, moved only by passes that update statistics', () => {
    const q = new MinMaxQuantizer(registry, 'a', { bits: 4, rangeTracking: 'ema', momentum: 0.5 });
    q.quantize(tf.tensor2d([[-1, 2]]), { training: true, updateStatistics: true });
    expect([q.rangeMin!.dataSync()[0], q.rangeMax!.dataSync()[0]]).toEqual([-1, 2]);
    q.quantize(tf.tensor2d([[-3, 4]]), { training: true, updateStatistics: false });
    expect([q.rangeMin!.dataSync()[0], q.rangeMax!.dataSync()[0]]).toEqual([-1, 2]);
    q.quantize(tf.tensor2d([[-3, 4]]), { training: true, updateStatistics: true });
    expect([q.rangeMin!.dataSync()[0], q.rangeMax!.dataSync()[0]]).toEqual([-2, 3]);
    // evaluation uses the running range: 5 is clipped to 3
    expect(q.quantize(tf.tensor2d([[5]])).dataSync()[0]).toBeCloseTo(3, 5);
  });

  it('rejects bad bit widths', () => {
    expect(() => new MinMaxQuantizer(registry, 'x', { bits: 0 })).toThrow(BitWidthError);
    expect(() => uniformFakeQuantize(tf.tensor1d([1]), 12)).toThrow(BitWidthError);
  });
});
