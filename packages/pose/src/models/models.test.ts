import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import { buildPoseModel } from './build-model';
import type { PoseModelConfig } from './build-model';
import { countParameters } from './parameter-count';
import { isSimccModel } from './simcc-model';
import { hrnetSmall, hrnetW } from './hrnet';
import { simpleBaselineResNet50, simpleBaselineSmall } from './simple-baseline';

const TRAIN = { training: true, updateStatistics: true } as const;
const EVAL = { training: false, updateStatistics: false } as const;

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
});

describe('pose models', () => {
  it('HRNet-W32 (COCO, 256×192) has ≈ 28.5 M parameters, as in Sun et al. 2019', () => {
    const before = tf.memory().numTensors;
    const count = countParameters(hrnetW(32, 17, { width: 192, height: 256 }));
    expect(tf.memory().numTensors).toBe(before);
    expect(count).toBeGreaterThan(28.4e6);
    expect(count).toBeLessThan(28.6e6);
  });

  it('SimCC-HRNet-W32 (COCO, 256×192, k = 2) has ≈ 31.3 M parameters, as in the SimCC authors\' table', () => {
    // leeyegy/SimCC README, "Results on COCO validation set": HRNet-W32, SimDR, 256x192, #Params 31.3M
    // (heatmap: 28.5M). The head adds two linear layers 3072 → 384 and 3072 → 512 with biases.
    const heatmap = countParameters(hrnetW(32, 17, { width: 192, height: 256 }));
    const simcc = countParameters({ ...hrnetW(32, 17, { width: 192, height: 256 }), head: 'simcc', splitRatio: 2 });
    expect(simcc - heatmap).toBe(3072 * 384 + 384 + 3072 * 512 + 512);
    expect(simcc).toBeGreaterThan(31.25e6);
    expect(simcc).toBeLessThan(31.35e6);
  });

  it('SimpleBaseline ResNet-50 (COCO) has ≈ 34.0 M parameters, as in Xiao et al. 2018', () => {
    const count = countParameters(simpleBaselineResNet50(17, { width: 192, height: 256 }));
    expect(count).toBeGreaterThan(33.9e6);
    expect(count).toBeLessThan(34.1e6);
  });

  it.each([
    ['hrnetSmall', hrnetSmall(16)],
    ['simpleBaselineSmall', simpleBaselineSmall(16)],
  ])('%s maps [N, 64, 64, 3] to [N, 16, 16, 16] heatmaps without leaking tensors', (_, config) => {
    const model = buildPoseModel(config, new Rng(1));
    expect(model.heatmapSize).toEqual({ width: 16, height: 16 });
    const before = tf.memory().numTensors;
    const images = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    for (const mode of [TRAIN, EVAL]) {
      const out = tf.tidy(() => model.forward(images, mode));
      expect(out.shape).toEqual([2, 16, 16, 16]);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      out.dispose();
    }
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it.each([
    ['hrnetSmall', hrnetSmall(16)],
    ['simpleBaselineSmall', simpleBaselineSmall(16)],
  ])('%s with the SimCC head maps [N, 64, 64, 3] to [N, 16, 128] x and y logits without leaking tensors', (_, network) => {
    const config: PoseModelConfig = { ...network, head: 'simcc' };
    const model = buildPoseModel(config, new Rng(1));
    if (!isSimccModel(model)) throw new Error('expected a SimCC model');
    expect(model.bins).toEqual({ x: 128, y: 128 });
    expect(model.parameterCount()).toBe(countParameters(network) + 2 * (16 * 16 * 128 + 128));
    const before = tf.memory().numTensors;
    const images = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    for (const mode of [TRAIN, EVAL]) {
      const { x, y } = tf.tidy(() => model.forward(images, mode));
      expect(x.shape).toEqual([2, 16, 128]);
      expect(y.shape).toEqual([2, 16, 128]);
      expect(Array.from(x.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
    }
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a split ratio on the heatmap head', () => {
    const config = { ...hrnetSmall(16), splitRatio: 2 } as unknown as PoseModelConfig;
    expect(() => buildPoseModel(config, new Rng(0))).toThrow(/splitRatio is a SimCC setting/);
  });

  it('countParameters agrees with a seeded build', () => {
    const model = buildPoseModel(hrnetSmall(16), new Rng(3));
    expect(countParameters(hrnetSmall(16))).toBe(model.parameterCount());
    model.dispose();
  });

  it('rejects an input size the stages cannot halve', () => {
    expect(() => buildPoseModel(hrnetSmall(16, { width: 60, height: 64 }), new Rng(0))).toThrow(/divisible/);
  });
});
