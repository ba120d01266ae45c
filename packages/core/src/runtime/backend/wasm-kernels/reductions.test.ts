import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectWasmMatchesCpu, randInt, randomValues, seededRandom, useBackend, valuesOn } from './test-helpers';

interface Case {
  shape: number[];
  axis: number | number[];
  keepDims: boolean;
}

/** Random shapes of 2048+ elements (the pooled path), contiguous and scattered axes, negative axes. */
function randomCases(seed: number, count: number): Case[] {
  const random = seededRandom(seed);
  const cases: Case[] = [];
  while (cases.length < count) {
    const rank = randInt(random, 1, 5);
    const shape = Array.from({ length: rank }, () => randInt(random, 1, 12));
    if (tf.util.sizeFromShape(shape) < 2048 || tf.util.sizeFromShape(shape) > 200_000) continue;
    const start = randInt(random, 0, rank - 1);
    const end = randInt(random, start, rank - 1);
    let axes = Array.from({ length: end - start + 1 }, (_, i) => start + i);
    if (random() < 0.2 && rank >= 3) axes = [0, rank - 1];
    const axis = axes.length === 1 && random() < 0.5 ? axes[0]! - (random() < 0.5 ? rank : 0) : axes;
    cases.push({ shape, axis, keepDims: random() < 0.5 });
  }
  return cases;
}

function reduce(op: 'sum' | 'mean', c: Case, seed: number, dtype: 'float32' | 'int32' = 'float32') {
  return () => {
    const random = seededRandom(seed);
    const values = randomValues(random, tf.util.sizeFromShape(c.shape)).map((v) => (dtype === 'int32' ? Math.round(v * 100) : v));
    const x = tf.tensor(values, c.shape, dtype);
    return op === 'sum' ? tf.sum(x, c.axis, c.keepDims) : tf.mean(x, c.axis, c.keepDims);
  };
}

describe('Sum and Mean on wasm (pooled where the built-in would transpose)', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(21, 40).map((c, i) => [i, c] as const))('match cpu, random case %i', async (i, c) => {
    for (const op of ['sum', 'mean'] as const) {
      const [expected] = await valuesOn('cpu', reduce(op, c, 500 + i));
      const [actual] = await valuesOn('wasm', reduce(op, c, 500 + i));
      expectClose(actual!, expected!, 1e-4, `${op} ${JSON.stringify(c)}`);
    }
  });

  it('match cpu on batch-norm shapes, with the output shapes of keepDims', async () => {
    for (const [shape, axis] of [
      [[128, 14, 14, 16], [0, 1, 2]],
      [[64, 4, 4, 64], [1, 2]],
      [[32, 20, 8], [0]],
    ] as const) {
      for (const keepDims of [false, true]) {
        await expectWasmMatchesCpu(() => {
          const x = tf.tensor(randomValues(seededRandom(3), tf.util.sizeFromShape([...shape])), [...shape]);
          const results = [tf.sum(x, [...axis], keepDims), tf.mean(x, [...axis], keepDims)];
          for (const r of results) {
            const expected = keepDims ? shape.map((d, i) => ((axis as readonly number[]).includes(i) ? 1 : d)) : shape.filter((_, i) => !(axis as readonly number[]).includes(i));
            expect(r.shape).toEqual(expected);
          }
          return results;
        });
      }
    }
  });

  it('sum a zero-heavy one-signed activation of 100k pixels per channel to float32 rounding of the exact sums', async () => {
    // A BatchNorm input after a ReLU over images with a background: half exact zeros, the rest in
    // [0.5, 1.5), so the mean is large against the spread and a float32 running sum drifts.
    const shape = [128, 28, 28, 16];
    const channels = shape[3]!;
    const random = seededRandom(29);
    const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => (random() < 0.5 ? 0 : 0.5 + random()));
    const exact = new Float64Array(channels);
    values.forEach((v, i) => (exact[i % channels] += v));
    const pixels = values.length / channels;
    const [sums, means] = await valuesOn('wasm', () => {
      const x = tf.tensor4d(values, shape as [number, number, number, number]);
      return [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2])];
    });
    // One float32 rounding of the exact result is at most 2^-24 of it; allow two.
    const relativeErrors = (actual: number[], reference: number[]) => actual.map((v, c) => Math.abs(v - reference[c]!) / Math.abs(reference[c]!));
    const tolerance = 2 ** -23;
    expect(Math.max(...relativeErrors(sums!, Array.from(exact)))).toBeLessThanOrEqual(tolerance);
    expect(Math.max(...relativeErrors(means!, Array.from(exact, (s) => s / pixels)))).toBeLessThanOrEqual(tolerance);
  });

  it('reduce a batch-norm activation over [0, 1, 2] with one pooling and no transpose', async () => {
    await useBackend('wasm');
    const x = tf.ones([64, 8, 8, 16]);
    const profile = await tf.profile(() => tf.dispose([tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2])]));
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'AvgPool')).toHaveLength(2);
    expect(names).not.toContain('Transpose');
    x.dispose();
  });

  it('leave int32 to the built-in kernels (exact integer sums, float means)', async () => {
    const c: Case = { shape: [64, 8, 8], axis: [0, 1], keepDims: false };
    for (const op of ['sum', 'mean'] as const) {
      const [expected] = await valuesOn('cpu', reduce(op, c, 9, 'int32'));
      const [actual] = await valuesOn('wasm', reduce(op, c, 9, 'int32'));
      expect(actual).toEqual(expected);
    }
  });

  it('keep NaN and ±Inf in their own column, as cpu does', async () => {
    const build = () => {
      const values = new Float32Array(4096).fill(1);
      values[5] = Number.NaN; // column 5
      values[16 + 7] = Number.POSITIVE_INFINITY; // column 7
      const x = tf.tensor(values, [256, 16]);
      return [tf.sum(x, 0), tf.mean(x, 0)];
    };
    const expected = await valuesOn('cpu', build);
    const actual = await valuesOn('wasm', build);
    expect(actual).toEqual(expected);
    expect(actual[0]!.map((v) => (Number.isFinite(v) ? 'finite' : String(v)))).toEqual(
      Array.from({ length: 16 }, (_, i) => (i === 5 ? 'NaN' : i === 7 ? 'Infinity' : 'finite')),
    );
  });
});
