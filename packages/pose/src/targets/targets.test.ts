import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@ausam/core';
import { decodeHeatmaps } from '../evaluation/decode-heatmaps';
import { defaultSigma, encodeGaussianHeatmaps } from './gaussian-heatmap';
import { jointsMsePerSample } from './joints-mse';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const inputSize = { width: 64, height: 64 };
const heatmapSize = { width: 16, height: 16 };

function encodeOne(x: number, y: number, sigma: number, center?: 'subpixel' | 'hrnet') {
  const target = new Float32Array(16 * 16);
  const weights = new Float32Array(1);
  encodeGaussianHeatmaps(Float32Array.of(x, y), Float32Array.of(1), { inputSize, heatmapSize, sigma, center }, target, 0, weights, 0);
  return { target, weight: weights[0] };
}

describe('Gaussian heatmap targets', () => {
  it('σ defaults to 2 at 64×48 heatmaps and scales with heatmap height', () => {
    expect(defaultSigma({ width: 48, height: 64 })).toBe(2);
    expect(defaultSigma({ width: 72, height: 96 })).toBe(3);
    expect(defaultSigma({ width: 16, height: 16 })).toBe(0.5);
  });

  it('encode → decode recovers a joint within 0.25 heatmap pixels', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      // interior positions (the quarter offset needs both neighbours)
      const hx = 1 + 13 * rng.next();
      const hy = 1 + 13 * rng.next();
      for (const sigma of [0.5, 1, 2]) {
        const { target, weight } = encodeOne(hx * 4, hy * 4, sigma);
        expect(weight).toBe(1);
        const { coords, maxValues } = decodeHeatmaps(target, 1, heatmapSize, 1);
        expect(Math.abs(coords[0] - hx)).toBeLessThanOrEqual(0.25 + 1e-6);
        expect(Math.abs(coords[1] - hy)).toBeLessThanOrEqual(0.25 + 1e-6);
        expect(maxValues[0]).toBeGreaterThan(0.3);
      }
    }
  });

  it('peaks at exactly 1 on an integer position and matches the Gaussian formula', () => {
    const { target } = encodeOne(5 * 4, 7 * 4, 2);
    expect(target[7 * 16 + 5]).toBe(1);
    expect(target[7 * 16 + 6]).toBeCloseTo(Math.exp(-1 / 8), 6);
    expect(target[9 * 16 + 5]).toBeCloseTo(Math.exp(-4 / 8), 6);
    // truncated beyond 3σ
    expect(target[7 * 16 + 12]).toBe(0);
  });

  it("'hrnet' centering rounds the joint to the nearest heatmap pixel", () => {
    const { target } = encodeOne(5.3 * 4, 7 * 4, 2, 'hrnet');
    expect(target[7 * 16 + 5]).toBe(1);
  });

  it('gives weight 0 to unannotated joints and to joints whose window misses the heatmap', () => {
    const target = new Float32Array(16 * 16 * 3);
    const weights = new Float32Array(3).fill(7);
    const joints = Float32Array.of(10, 10, 10, 10, -40, 10);
    encodeGaussianHeatmaps(joints, Float32Array.of(1, 0, 1), { inputSize, heatmapSize, sigma: 1 }, target, 0, weights, 0);
    expect(Array.from(weights)).toEqual([1, 0, 0]);
    const channel = (j: number) => target.filter((_, i) => i % 3 === j);
    expect(Math.max(...channel(1))).toBe(0);
    expect(Math.max(...channel(2))).toBe(0);
  });
});

describe('JointsMSE per sample', () => {
  it('is the mean over joints and pixels of 0.5·w²·(P − T)², one value per sample', () => {
    const target = tf.zeros([2, 4, 4, 2]) as tf.Tensor4D;
    const predicted = tf.concat([tf.fill([1, 4, 4, 2], 1), tf.fill([1, 4, 4, 2], 2)]) as tf.Tensor4D;
    const weights = tf.tensor2d([[1, 0], [1, 1]]);
    const loss = jointsMsePerSample(predicted, target, weights);
    expect(loss.shape).toEqual([2]);
    const [first, second] = Array.from(loss.dataSync());
    expect(first).toBeCloseTo(0.5 * (1 + 0) / 2, 6);
    expect(second).toBeCloseTo(0.5 * 4, 6);
    tf.dispose([target, predicted, weights, loss]);
  });
});
