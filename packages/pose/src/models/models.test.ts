import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import { buildPoseModel } from './build-model';
import { countParameters } from './parameter-count';
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

  it('countParameters agrees with a seeded build', () => {
    const model = buildPoseModel(hrnetSmall(16), new Rng(3));
    expect(countParameters(hrnetSmall(16))).toBe(model.parameterCount());
    model.dispose();
  });

  it('rejects an input size the stages cannot halve', () => {
    expect(() => buildPoseModel(hrnetSmall(16, { width: 60, height: 64 }), new Rng(0))).toThrow(/divisible/);
  });
});
