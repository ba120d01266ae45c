import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@ausam/core';
import { decodeSimcc } from '../evaluation/decode-simcc';
import { simccKlPerSample } from './simcc-kl-loss';
import { encodeSimccLabels, simccBinCounts } from './simcc-labels';
import type { SimccEncoding } from './simcc-labels';
import { simccTargetEncoder } from './target-encoders';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function encode(joints: number[], visibility: number[], encoding: SimccEncoding) {
  const bins = simccBinCounts(encoding.inputSize, encoding.splitRatio);
  const k = visibility.length;
  const x = new Float32Array(k * bins.x);
  const y = new Float32Array(k * bins.y);
  const weights = new Float32Array(k).fill(7);
  encodeSimccLabels(Float32Array.from(joints), Float32Array.from(visibility), encoding, { x, xOffset: 0, y, yOffset: 0, weights, weightOffset: 0 });
  return { x, y, weights, bins };
}

describe('SimCC labels', () => {
  it('encode → decode recovers every joint within 1/(2k) input pixels', () => {
    const rng = new Rng(11);
    const inputSize = { width: 48, height: 64 };
    for (const splitRatio of [1, 2, 3]) {
      for (const sigma of [1, 2, 6]) {
        const joints = Array.from({ length: 2 * 20 }, (_, i) => (i % 2 === 0 ? 47 : 63) * rng.next());
        const { x, y, weights, bins } = encode(joints, new Array(20).fill(1), { inputSize, splitRatio, sigma });
        expect(bins).toEqual({ x: 48 * splitRatio, y: 64 * splitRatio });
        expect(Array.from(weights)).toEqual(new Array(20).fill(1));
        const { coords } = decodeSimcc(x, y, 1, 20, bins, splitRatio);
        for (let i = 0; i < joints.length; i++) expect(Math.abs(coords[i] - joints[i])).toBeLessThanOrEqual(0.5 / splitRatio + 1e-5);
      }
    }
  });

  it('is the normalised 1-D Gaussian exp(−(b − k·x)² / 2σ²) / (σ√2π) over every bin', () => {
    const sigma = 2;
    const { x, y } = encode([10.25, 3], [1], { inputSize: { width: 32, height: 16 }, splitRatio: 2, sigma });
    const norm = sigma * Math.sqrt(2 * Math.PI);
    expect(x[20]).toBeCloseTo(Math.exp(-(0.5 ** 2) / 8) / norm, 7);
    expect(x[21]).toBeCloseTo(Math.exp(-(0.5 ** 2) / 8) / norm, 7);
    expect(y[6]).toBeCloseTo(1 / norm, 7);
    expect(y[9]).toBeCloseTo(Math.exp(-9 / 8) / norm, 7);
    // not truncated at 3σ: the far end of the axis still carries its (tiny) Gaussian value
    expect(x[63]).toBeCloseTo(Math.exp(-((63 - 20.5) ** 2) / 8) / norm, 12);
    // an interior joint's labels sum to ≈ 1 on each axis
    expect(x.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });

  it('gives weight 0 and zero labels to unannotated joints and joints whose 3σ window misses the bins', () => {
    const { x, y, weights } = encode([5, 5, 5, 5, -20, 5, 5, 40], [1, 0, 1, 1], { inputSize: { width: 16, height: 16 }, splitRatio: 2, sigma: 2 });
    expect(Array.from(weights)).toEqual([1, 0, 0, 0]);
    expect(Math.max(...x.slice(32))).toBe(0);
    expect(Math.max(...y.slice(32))).toBe(0);
    // a joint just outside the crop whose window still overlaps keeps its weight (mmpose's test)
    expect(Array.from(encode([-1, 5], [1], { inputSize: { width: 16, height: 16 }, splitRatio: 2, sigma: 2 }).weights)).toEqual([1]);
  });

  it('the batch encoder lays labels out as [N, K, bins] and applies joint weights', () => {
    const encoder = simccTargetEncoder({ inputSize: { width: 8, height: 4 }, splitRatio: 2, sigma: 1 }, [1, 0.5]);
    const weights = new Float32Array(4);
    const samples = [
      { jointsInCrop: Float32Array.of(1, 1, 2, 3), visibility: Float32Array.of(1, 1) },
      { jointsInCrop: Float32Array.of(7, 0, 0, 0), visibility: Float32Array.of(1, 0) },
    ];
    const { simccX, simccY } = encoder.encodeBatch(samples, 2, weights);
    expect(simccX.shape).toEqual([2, 2, 16]);
    expect(simccY.shape).toEqual([2, 2, 8]);
    expect(Array.from(weights)).toEqual([1, 0.5, 1, 0]);
    const { coords } = decodeSimcc(simccX.dataSync() as Float32Array, simccY.dataSync() as Float32Array, 2, 2, { x: 16, y: 8 }, 2);
    expect(Array.from(coords.slice(0, 6))).toEqual([1, 1, 2, 3, 7, 0]);
    tf.dispose([simccX, simccY]);
  });

  it('rejects a non-positive split ratio and mismatched decoder input', () => {
    expect(() => simccBinCounts({ width: 4, height: 4 }, 0)).toThrow(/split ratio must be positive, found 0/);
    expect(() => decodeSimcc(new Float32Array(3), new Float32Array(4), 1, 1, { x: 4, y: 4 }, 1)).toThrow(/expected 1×1×4 x and 1×1×4 y values, found 3 and 4/);
  });
});

describe('SimCC KL loss per sample', () => {
  // Two samples, two joints, 4 x bins and 2 y bins; sample 0's joint 1 is unweighted.
  const logitsX = [
    [[0.5, -1, 2, 0], [1, 1, 0, -0.5]],
    [[0, 0, 0, 3], [-2, 0.5, 1, 0]],
  ];
  const logitsY = [
    [[1, -1], [0, 2]],
    [[0.3, 0.3], [-1, 1]],
  ];
  const labelsX = [
    [[0, 0.2, 0.7, 0.1], [0.25, 0.25, 0.25, 0.25]],
    [[0, 0, 0.1, 0.9], [0.6, 0.4, 0, 0]],
  ];
  const labelsY = [
    [[0.9, 0.1], [0.5, 0.5]],
    [[0, 1], [0.3, 0.7]],
  ];
  const weights = [[1, 0], [1, 0.5]];

  /** The formula by hand, in float64: (1/K) Σ_j w_j [mean_b t log(t/p_x) + mean_b t log(t/p_y)], p = softmax(β z). */
  function byHand(beta: number): number[] {
    const klMean = (z: number[], t: number[]) => {
      const m = Math.max(...z.map((v) => beta * v));
      const logSum = m + Math.log(z.reduce((s, v) => s + Math.exp(beta * v - m), 0));
      return t.reduce((s, tb, b) => s + (tb > 0 ? tb * (Math.log(tb) - (beta * z[b] - logSum)) : 0), 0) / t.length;
    };
    return [0, 1].map((i) => [0, 1].reduce((s, j) => s + weights[i][j] * (klMean(logitsX[i][j], labelsX[i][j]) + klMean(logitsY[i][j], labelsY[i][j])), 0) / 2);
  }

  it.each([1, 2.5])('matches a hand computation on a 2-joint case (β = %s)', (beta) => {
    const loss = simccKlPerSample(
      { x: tf.tensor3d(logitsX), y: tf.tensor3d(logitsY) },
      tf.tensor3d(labelsX),
      tf.tensor3d(labelsY),
      tf.tensor2d(weights),
      beta,
    );
    expect(loss.shape).toEqual([2]);
    const values = Array.from(loss.dataSync());
    byHand(beta).forEach((expected, i) => expect(values[i]).toBeCloseTo(expected, 6));
    loss.dispose();
  });

  it('has gradient w_j·β·(p·Σt − t) / (bins·K) with respect to the logits', () => {
    const beta = 2;
    const labels = tf.tensor3d(labelsX);
    const y = tf.tensor3d(logitsY);
    const targetY = tf.tensor3d(labelsY);
    const w = tf.tensor2d(weights);
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(simccKlPerSample({ x: x as tf.Tensor3D, y }, labels, targetY, w, beta)))(tf.tensor3d(logitsX));
    const g = gradient.arraySync() as number[][][];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const z = logitsX[i][j];
        const t = labelsX[i][j];
        const sumExp = z.reduce((s, v) => s + Math.exp(beta * v), 0);
        const totalT = t.reduce((s, v) => s + v, 0);
        z.forEach((v, b) => {
          const p = Math.exp(beta * v) / sumExp;
          expect(g[i][j][b]).toBeCloseTo((weights[i][j] * beta * (p * totalT - t[b])) / (4 * 2), 6);
        });
      }
    }
    tf.dispose([labels, y, targetY, w, gradient]);
  });

  it('is zero when the prediction is the label distribution', () => {
    const t = [[[0.1, 0.2, 0.3, 0.4]]];
    const logits = t.map((s) => s.map((r) => r.map(Math.log)));
    const loss = simccKlPerSample({ x: tf.tensor3d(logits), y: tf.tensor3d([[[0, 0]]]) }, tf.tensor3d(t), tf.tensor3d([[[0.5, 0.5]]]), tf.tensor2d([[1]]));
    expect(loss.dataSync()[0]).toBeCloseTo(0, 7);
    loss.dispose();
  });
});
