import * as tf from '@tensorflow/tfjs-core';
import { expectClose, randInt, seededRandom, useBackend, type TestBackend } from '../runtime/backend/wasm-kernels/test-helpers';
import { Rng } from '../random/rng';
import { BatchNorm } from './batch-norm';
import { ParameterRegistry } from './parameter-registry';

// test-helpers turns on tfjs' per-kernel leak check. It counts the tensors a tf.customGrad forward
// saves for its gradient (and the running statistics it assigns) as leaks, so it is off here; the
// tensor-count test below checks for real leaks.
tf.env().set('IS_TEST', false);

beforeEach(async () => {
  await useBackend('cpu');
});

describe('BatchNorm', () => {
  it('normalises with batch statistics and moves running stats like PyTorch (momentum 0.1, unbiased var)', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 1);
    const x = tf.tensor4d([1, 2, 3, 6], [4, 1, 1, 1]);
    const y = bn.apply(x, { training: true, updateStatistics: true });
    // mean 3, biased var (4+1+0+9)/4 = 3.5
    const expected = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(bn.runningMean.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
    // unbiased var 14/3
    expect(bn.runningVariance.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
    registry.dispose();
  });

  it('leaves running stats untouched when updateStatistics is false (SAM second pass)', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 2);
    const x = tf.randomNormal([8, 2, 2, 2], 5, 2, 'float32', 3) as tf.Tensor4D;
    bn.apply(x, { training: true, updateStatistics: false });
    expect(Array.from(bn.runningMean.dataSync())).toEqual([0, 0]);
    expect(Array.from(bn.runningVariance.dataSync())).toEqual([1, 1]);
    registry.dispose();
  });

  it('uses running statistics at evaluation', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 1);
    bn.runningMean.assign(tf.tensor1d([2]));
    bn.runningVariance.assign(tf.tensor1d([4]));
    const y = bn.apply(tf.tensor2d([[4]]), { training: false, updateStatistics: false });
    expect(y.dataSync()[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 5);
    registry.dispose();
  });
});

describe('BatchNorm gradient', () => {
  it('equals autodiff through tf.moments + tf.batchNorm', () => {
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 3);
    bn.gamma.assign(tf.tensor1d([0.5, 1.5, -2]));
    bn.beta.assign(tf.tensor1d([0.1, -0.3, 0.7]));
    const x = tf.randomNormal([4, 5, 5, 3], 1, 3, 'float32', 5) as tf.Tensor4D;
    const weights = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 6);
    const mode = { training: true, updateStatistics: false };
    const ours = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      void g;
      void b;
      return tf.sum(tf.mul(bn.apply(input, mode), weights));
    });
    const reference = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, b, g, 1e-5), weights));
    });
    const [dx] = ours([x, bn.gamma, bn.beta]);
    const [dxRef, dGammaRef, dBetaRef] = reference([x, bn.gamma, bn.beta]);
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
    close(dx, dxRef);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.apply(x, mode), weights)) as tf.Scalar, [bn.gamma, bn.beta] as tf.Variable[]);
    close(grads[bn.gamma.name], dGammaRef);
    close(grads[bn.beta.name], dBetaRef);
    registry.dispose();
  });
});

/** One training-mode case: plain values, so each backend builds its own tensors. */
interface Case {
  shape: number[];
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  /** The loss is Σ weights·y, so dL/dy = weights. */
  weights: Float32Array;
}

/** Random shapes of rank 2–4 with 1–6 channels; per-channel offsets up to ±6 and scales 0.2–3. */
function randomCases(seed: number, count: number): Case[] {
  const random = seededRandom(seed);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
  const cases: Case[] = [];
  // Two large cases, so that wasm runs core's pooled Sum/Mean (2048 elements and up), not its own.
  const fixed = [
    [2, 16, 16, 8],
    [4, 9, 9, 7],
  ];
  for (let i = 0; i < count; i++) {
    const rank = randInt(random, 2, 4);
    const shape = fixed[i] ?? [randInt(random, 2, 5), ...Array.from({ length: rank - 2 }, () => randInt(random, 1, 5)), randInt(random, 1, 6)];
    const channels = shape[shape.length - 1]!;
    const offsets = Array.from({ length: channels }, () => uniform(-6, 6));
    const scales = Array.from({ length: channels }, () => uniform(0.2, 3));
    const size = tf.util.sizeFromShape(shape);
    cases.push({
      shape,
      x: Float32Array.from({ length: size }, (_, j) => offsets[j % channels]! + scales[j % channels]! * uniform(-1.7, 1.7)),
      gamma: Float32Array.from({ length: channels }, () => uniform(-2, 2)),
      beta: Float32Array.from({ length: channels }, () => uniform(-1, 1)),
      weights: Float32Array.from({ length: size }, () => uniform(-1, 1)),
    });
  }
  return cases;
}

interface Results {
  y: number[];
  dx: number[];
  dGamma: number[];
  dBeta: number[];
  runningMean: number[];
  runningVariance: number[];
}

/** BatchNorm's forward pass, gradients of Σ weights·y and running statistics on `backend`. */
async function batchNormOn(backend: TestBackend, c: Case): Promise<Results> {
  await useBackend(backend);
  const registry = new ParameterRegistry(new Rng(0));
  const channels = c.shape[c.shape.length - 1]!;
  const bn = new BatchNorm(registry, 'bn', channels);
  bn.gamma.assign(tf.tensor1d(c.gamma));
  bn.beta.assign(tf.tensor1d(c.beta));
  const x = tf.variable(tf.tensor(c.x, c.shape));
  const weights = tf.tensor(c.weights, c.shape);
  const y = bn.apply(x, { training: true, updateStatistics: true });
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(bn.apply(x, { training: true, updateStatistics: false }), weights)) as tf.Scalar,
    [x, bn.gamma, bn.beta],
  );
  const results: Results = {
    y: Array.from(y.dataSync()),
    dx: Array.from(grads[x.name]!.dataSync()),
    dGamma: Array.from(grads[bn.gamma.name]!.dataSync()),
    dBeta: Array.from(grads[bn.beta.name]!.dataSync()),
    runningMean: Array.from(bn.runningMean.dataSync()),
    runningVariance: Array.from(bn.runningVariance.dataSync()),
  };
  tf.dispose([x, weights, y, ...Object.values(grads)]);
  registry.dispose();
  return results;
}

/**
 * The closed form batch-norm.ts used before issue 14, on the cpu backend: x̂ = (x − μ)/√(σ² + eps)
 * with the biased σ², y = γ·x̂ + β; dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/m − x̂·dγ/m);
 * running statistics 0.9·running + 0.1·batch, variance unbiased.
 */
async function previousFormula(c: Case, epsilon = 1e-5): Promise<Results> {
  await useBackend('cpu');
  return tf.tidy(() => {
    const x = tf.tensor(c.x, c.shape);
    const dy = tf.tensor(c.weights, c.shape);
    const gamma = tf.tensor1d(c.gamma);
    const beta = tf.tensor1d(c.beta);
    const axes = c.shape.slice(0, -1).map((_, i) => i);
    const count = x.size / c.shape[c.shape.length - 1]!;
    const mean = tf.mean(x, axes);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), axes);
    const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
    const xHat = tf.mul(centered, inverseStd);
    const dBeta = tf.sum(dy, axes);
    const dGamma = tf.sum(tf.mul(dy, xHat), axes);
    const inner = tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count)));
    const values = (t: tf.Tensor) => Array.from(t.dataSync());
    return {
      y: values(tf.add(tf.mul(xHat, gamma), beta)),
      dx: values(tf.mul(inner, tf.mul(gamma, inverseStd))),
      dGamma: values(dGamma),
      dBeta: values(dBeta),
      runningMean: values(tf.mul(mean, 0.1)),
      runningVariance: values(tf.add(0.9, tf.mul(variance, (0.1 * count) / (count - 1)))),
    };
  });
}

/** Σ weights·y of training-mode batch norm in float64, for finite differences. */
function lossInFloat64(x: Float64Array, gamma: Float64Array, beta: Float64Array, weights: Float32Array, epsilon = 1e-5): number {
  const channels = gamma.length;
  const count = x.length / channels;
  let loss = 0;
  for (let ch = 0; ch < channels; ch++) {
    let sum = 0;
    for (let i = ch; i < x.length; i += channels) sum += x[i]!;
    const mean = sum / count;
    let squares = 0;
    for (let i = ch; i < x.length; i += channels) squares += (x[i]! - mean) ** 2;
    const inverseStd = 1 / Math.sqrt(squares / count + epsilon);
    for (let i = ch; i < x.length; i += channels) loss += weights[i]! * (gamma[ch]! * (x[i]! - mean) * inverseStd + beta[ch]!);
  }
  return loss;
}

/** Central differences of `loss` with respect to each entry of `values` (moved in place, then restored). */
function centralDifferences(values: Float64Array, loss: () => number, step = 1e-4): number[] {
  return Array.from(values, (v, i) => {
    values[i] = v + step;
    const up = loss();
    values[i] = v - step;
    const down = loss();
    values[i] = v;
    return (up - down) / (2 * step);
  });
}

describe('BatchNorm training pass, cpu and wasm', () => {
  const cases = randomCases(14, 10);

  it.each(cases.map((c, i) => [i, c.shape.join('×'), c] as const))(
    'case %i (%s): forward, dx, dγ, dβ and running statistics equal the previous closed form',
    async (_i, _shape, c) => {
      const reference = await previousFormula(c);
      for (const backend of ['cpu', 'wasm'] as const) {
        const ours = await batchNormOn(backend, c);
        for (const key of Object.keys(reference) as (keyof Results)[]) {
          expectClose(ours[key], reference[key], 1e-4, `${backend} ${key}`);
        }
      }
    },
  );

  it('dx, dγ and dβ equal central finite differences of a float64 batch norm', async () => {
    const c = randomCases(15, 3)[2]!;
    const [x, gamma, beta] = [c.x, c.gamma, c.beta].map((v) => Float64Array.from(v)) as [Float64Array, Float64Array, Float64Array];
    const loss = () => lossInFloat64(x, gamma, beta, c.weights);
    const numeric = { dx: centralDifferences(x, loss), dGamma: centralDifferences(gamma, loss), dBeta: centralDifferences(beta, loss) };
    for (const backend of ['cpu', 'wasm'] as const) {
      const ours = await batchNormOn(backend, c);
      for (const key of ['dx', 'dGamma', 'dBeta'] as const) expectClose(ours[key], numeric[key], 1e-3, `${backend} ${key}`);
    }
  });

  it.each([0, 100])('with a statistics reducer, normalises one slice with the whole batch: outputs and dx equal the unsplit batch (offset %d)', (offset) => {
    // Batch of 8 rows × 3 channels, loss L = (1/8)·Σᵢ Σ_c r_ic·y_ic. Replica A holds rows 0–3
    // (share 1/2, loss L_A = (1/4)·Σ_{i∈A} ℓᵢ); the reducer adds replica B's (rows 4–7) partial sums,
    // computed here in float64 from the data, as the all-reduce would: forward Σx, Σx² (= M2_B +
    // n_B·μ_B²) and n_B in one round, backward share·Σdy and share·Σdy·(x − μ). The offset makes
    // |μ| ≫ σ, where Σx² − m·μ² would cancel in float32.
    const rows = 8;
    const channels = 3;
    const x = Float64Array.from({ length: rows * channels }, (_, i) => Math.fround(offset + Math.sin(1.7 * i) * 3 + (i % channels)));
    const r = Float64Array.from({ length: rows * channels }, (_, i) => Math.cos(0.9 * i));
    const inB = (i: number) => i >= 4;
    const mean = [0, 1, 2].map((c) => [...Array(rows).keys()].reduce((sum, i) => sum + x[i * channels + c], 0) / rows);
    const partialsOfB = [
      [
        ...[0, 1, 2].map((c) => [...Array(rows).keys()].filter(inB).reduce((sum, i) => sum + x[i * channels + c], 0)),
        ...[0, 1, 2].map((c) => [...Array(rows).keys()].filter(inB).reduce((sum, i) => sum + x[i * channels + c] ** 2, 0)),
        4,
      ],
      [
        ...[0, 1, 2].map((c) => [...Array(rows).keys()].filter(inB).reduce((sum, i) => sum + 0.5 * (r[i * channels + c] / 4), 0)),
        ...[0, 1, 2].map((c) => [...Array(rows).keys()].filter(inB).reduce((sum, i) => sum + 0.5 * (r[i * channels + c] / 4) * (x[i * channels + c] - mean[c]), 0)),
      ],
    ];
    let call = 0;
    const reducer = {
      lossShare: 0.5,
      sum: (partial: Float32Array | Float64Array) => {
        const other = partialsOfB[call++];
        expect(partial.length).toBe(other.length);
        return Float64Array.from(partial, (value, j) => value + other[j]);
      },
    };
    const run = (input: Float64Array, weights: Float64Array, batchRows: number, mode: Parameters<BatchNorm['apply']>[1]) => {
      const registry = new ParameterRegistry(new Rng(0));
      const bn = new BatchNorm(registry, 'bn', channels);
      const xs = tf.tensor2d(Float32Array.from(input), [batchRows, channels]);
      const rs = tf.tensor2d(Float32Array.from(weights), [batchRows, channels]);
      let y: Float32Array = new Float32Array();
      const dx = tf.grad((v: tf.Tensor) => {
        const out = bn.apply(v, mode);
        y = out.dataSync().slice() as Float32Array;
        return tf.div(tf.sum(tf.mul(out, rs)), batchRows);
      })(xs);
      const result = { y, dx: dx.dataSync().slice() as Float32Array, runningMean: bn.runningMean.dataSync().slice() as Float32Array };
      registry.dispose();
      return result;
    };
    const whole = run(x, r, rows, { training: true, updateStatistics: true });
    const slice = run(x.subarray(0, 4 * channels), r.subarray(0, 4 * channels), 4, { training: true, updateStatistics: true, batchStatistics: reducer });
    expect(call).toBe(2);
    expectClose(slice.y, whole.y.subarray(0, 4 * channels), 1e-5, 'y');
    // The slice's dx is for L_A = L / share on its rows.
    expectClose(slice.dx.map((v) => v * 0.5), whole.dx.subarray(0, 4 * channels), 1e-5, 'dx');
    expectClose(slice.runningMean, whole.runningMean, 1e-6, 'running mean');
  });

  it('on wasm, takes the mean of 100k zero-heavy pixels per channel to float32 rounding of the exact mean', async () => {
    // A ReLU output over images with a background: 60 % exact zeros, the rest in [1, 2). A float32
    // running sum over 100k such values drifts by ~1e-5 of the mean, which moved ReLU inputs across
    // zero downstream and changed a network's gradient by 1e-3 (docs/decisions.md, "Numerics of wasm
    // reductions"); the running mean after one pass (0.1·μ) shows the mean BatchNorm used.
    await useBackend('wasm');
    const shape: [number, number, number, number] = [128, 28, 28, 4];
    const channels = shape[3];
    const random = seededRandom(41);
    const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => (random() < 0.6 ? 0 : 1 + random()));
    const exact = new Float64Array(channels);
    values.forEach((v, i) => (exact[i % channels] += v / (values.length / channels)));
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', channels);
    tf.tidy(() => bn.apply(tf.tensor4d(values, shape), { training: true, updateStatistics: true }));
    const used = Array.from(bn.runningMean.dataSync(), (v) => v / 0.1);
    registry.dispose();
    // The mean's rounding, then 0.1·μ's and the division's: at most about 2^-23 of μ together.
    used.forEach((mean, c) => expect(Math.abs(mean - exact[c]!) / exact[c]!).toBeLessThanOrEqual(2 ** -22));
  });

  it('keeps the tensor count flat across training steps on wasm', async () => {
    await useBackend('wasm');
    const registry = new ParameterRegistry(new Rng(0));
    const bn = new BatchNorm(registry, 'bn', 4);
    const x = tf.variable(tf.randomNormal([3, 5, 5, 4], 2, 3, 'float32', 7));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.apply(x, { training: true, updateStatistics: true }))) as tf.Scalar, [x, bn.gamma, bn.beta]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    registry.dispose();
  });
});
