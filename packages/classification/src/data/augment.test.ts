import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '@ausam/core';
import {
  augmentAndNormalize,
  CIFAR10_AUGMENTATION,
  cropAndFlipAt,
  cropAt,
  cutoutAt,
  drawAugmentation,
  flipWhere,
  normalize,
  randomCrop,
  randomCutout,
  randomHorizontalFlip,
  validateAugmentationConfig,
} from './augment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** [n, h, w, c] tensor whose value is its flat index + 1 (no zeros, so padding is visible). */
function ramp(n: number, h: number, w: number, c: number): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * h * w * c }, (_, i) => i + 1), [n, h, w, c]);
}

function values(t: tf.Tensor): number[][][][] {
  return t.arraySync() as number[][][][];
}

describe('cropAt', () => {
  it('is the identity at offset (padding, padding)', () => {
    const x = ramp(2, 3, 3, 2);
    const y = cropAt(x, 2, Int32Array.from([2, 2, 2, 2]));
    expect(values(y)).toEqual(values(x));
    tf.dispose([x, y]);
  });

  it('shifts each image by its own offset and fills with zeros', () => {
    const x = ramp(2, 3, 3, 1);
    // image 0: offset (0, 0) → content moves down-right by 1; image 1: offset (2, 1) → up by 1.
    const y = cropAt(x, 1, Int32Array.from([0, 0, 2, 1]));
    const v = values(y).map((img) => img.map((row) => row.map((px) => px[0])));
    expect(v[0]).toEqual([
      [0, 0, 0],
      [0, 1, 2],
      [0, 4, 5],
    ]);
    expect(v[1]).toEqual([
      [13, 14, 15],
      [16, 17, 18],
      [0, 0, 0],
    ]);
    tf.dispose([x, y]);
  });

  it('rejects offsets outside 0..2·padding', () => {
    const x = ramp(1, 2, 2, 1);
    expect(() => cropAt(x, 1, Int32Array.from([3, 0]))).toThrow(RangeError);
    expect(() => cropAt(x, 1, Int32Array.from([0]))).toThrow('crop offsets: expected 2 values for 1 images, found 1');
    x.dispose();
  });
});

describe('cropAndFlipAt', () => {
  it('crops then mirrors each image as selected', () => {
    const x = ramp(3, 4, 5, 2);
    const offsets = Int32Array.from([0, 4, 2, 2, 3, 1]);
    const flips = Uint8Array.from([1, 0, 1]);
    const fused = cropAndFlipAt(x, 2, offsets, flips);
    const cropped = cropAt(x, 2, offsets);
    const separate = flipWhere(cropped, flips);
    expect(fused.arraySync()).toEqual(separate.arraySync());
    tf.dispose([x, fused, cropped, separate]);
  });
  it('equals its per-pixel definition on random offsets and flips, bit for bit, on cpu and wasm', async () => {
    const [n, h, w, c, padding] = [5, 7, 6, 3, 3];
    const data = Float32Array.from({ length: n * h * w * c }, (_, i) => [0, -0, 1.5, Number.NaN, -7.25, 3e-41][i % 6] * (i + 1));
    const rng = new Rng(17);
    const offsets = Int32Array.from({ length: 2 * n }, () => rng.int(2 * padding + 1));
    const flips = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    // Output (i, j) of image b is input (i + dy − padding, j' + dx − padding), j' = W − 1 − j if flipped, else j.
    const expected = new Float32Array(n * h * w * c);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          const y = i + offsets[2 * b] - padding;
          const x = (flips[b] ? w - 1 - j : j) + offsets[2 * b + 1] - padding;
          for (let k = 0; k < c; k++) {
            expected[((b * h + i) * w + j) * c + k] = y >= 0 && y < h && x >= 0 && x < w ? data[((b * h + y) * w + x) * c + k] : 0;
          }
        }
      }
    }
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      try {
        const x = tf.tensor4d(data, [n, h, w, c]);
        const before = tf.memory().numTensors;
        const y = cropAndFlipAt(x, padding, offsets, flips);
        expect(tf.memory().numTensors).toBe(before + 1);
        const values = y.dataSync() as Float32Array;
        expect(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).toEqual(new Uint8Array(expected.buffer));
        tf.dispose([x, y]);
      } finally {
        await tf.setBackend('cpu');
      }
    }
  });
});

describe('flipWhere', () => {
  it('mirrors only the selected images, all channels', () => {
    const x = ramp(2, 2, 3, 2);
    const y = flipWhere(x, Uint8Array.from([1, 0]));
    const vx = values(x);
    const vy = values(y);
    expect(vy[0]).toEqual(vx[0].map((row) => [...row].reverse()));
    expect(vy[1]).toEqual(vx[1]);
    tf.dispose([x, y]);
  });
});

describe('cutoutAt', () => {
  it('zeroes a size×size square around each center, clipped at the borders', () => {
    const x = tf.ones([2, 4, 4, 3]) as tf.Tensor4D;
    // size 2 at (1, 1): rows/cols 0..1; size 2 at (3, 0): rows 2..3, cols -1..0 → 0.
    const y = cutoutAt(x, 2, Int32Array.from([1, 1, 3, 0]));
    const v = values(y);
    for (let c = 0; c < 3; c++) {
      expect(v[0].map((row) => row.map((px) => px[c]))).toEqual([
        [0, 0, 1, 1],
        [0, 0, 1, 1],
        [1, 1, 1, 1],
        [1, 1, 1, 1],
      ]);
      expect(v[1].map((row) => row.map((px) => px[c]))).toEqual([
        [1, 1, 1, 1],
        [1, 1, 1, 1],
        [0, 1, 1, 1],
        [0, 1, 1, 1],
      ]);
    }
    tf.dispose([x, y]);
  });

  it('odd sizes extend ⌊size/2⌋ before the center', () => {
    const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const y = cutoutAt(x, 3, Int32Array.from([2, 2]));
    expect(tf.sum(y).arraySync()).toBe(25 - 9);
    expect((values(y)[0][1][1][0])).toBe(0);
    expect((values(y)[0][3][3][0])).toBe(0);
    expect((values(y)[0][4][4][0])).toBe(1);
    tf.dispose([x, y]);
  });
});

describe('normalize', () => {
  it('computes (x/255 - mean) / std per channel', () => {
    const x = tf.tensor4d([0, 255, 51, 102], [1, 1, 2, 2]);
    const y = normalize(x, { mean: [0.5, 0.2], std: [0.25, 0.5] });
    const v = y.dataSync();
    expect(v[0]).toBeCloseTo(-2, 5);
    expect(v[1]).toBeCloseTo(1.6, 5);
    expect(v[2]).toBeCloseTo(-1.2, 5);
    expect(v[3]).toBeCloseTo(0.4, 5);
    tf.dispose([x, y]);
  });

  it('rejects a normalization of the wrong channel count or a zero std', () => {
    const x = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
    expect(() => normalize(x, { mean: [0], std: [1] })).toThrow('normalization: expected 3 means and stds, found 1 and 1');
    expect(() => normalize(x, { mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(RangeError);
    x.dispose();
  });
});

describe('drawAugmentation', () => {
  it('draws crop offsets, then flips, then Cutout centers from the rng, in that order', () => {
    const config = { randomCrop: { padding: 2 }, horizontalFlip: true, cutout: { size: 3 } };
    const draws = drawAugmentation(3, 8, 6, config, new Rng(7));
    const rng = new Rng(7);
    const offsets = Array.from({ length: 6 }, () => rng.int(5));
    const flips = Array.from({ length: 3 }, () => (rng.next() < 0.5 ? 1 : 0));
    const centers = Array.from({ length: 3 }, () => [rng.int(8), rng.int(6)]).flat();
    expect(Array.from(draws.cropOffsets!)).toEqual(offsets);
    expect(Array.from(draws.flips!)).toEqual(flips);
    expect(Array.from(draws.cutoutCenters!)).toEqual(centers);
  });

  it('keeps values in range and flips about half the images', () => {
    const draws = drawAugmentation(400, 32, 32, CIFAR10_AUGMENTATION, new Rng(1));
    expect(Math.min(...draws.cropOffsets!)).toBe(0);
    expect(Math.max(...draws.cropOffsets!)).toBe(8);
    const flipped = draws.flips!.reduce((a, b) => a + b, 0);
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
    expect(Math.max(...draws.cutoutCenters!)).toBe(31);
  });

  it('applies Cutout to each image with its probability, leaving the skipped ones untouched', () => {
    const draws = drawAugmentation(2000, 32, 32, { cutout: { size: 16, probability: 0.5 } }, new Rng(5));
    const centersY = Array.from({ length: 2000 }, (_, i) => draws.cutoutCenters![2 * i]);
    const skipped = centersY.filter((cy) => cy === -16).length;
    expect(Math.abs(skipped - 1000)).toBeLessThan(4.5 * Math.sqrt(2000 * 0.25));
    expect(centersY.every((cy) => cy === -16 || (cy >= 0 && cy < 32))).toBe(true);
    const image = tf.ones([1, 32, 32, 1]) as tf.Tensor4D;
    const kept = cutoutAt(image, 16, Int32Array.from([-16, 5]));
    expect(tf.sum(kept).arraySync()).toBe(32 * 32);
    tf.dispose([image, kept]);
    expect(() => validateAugmentationConfig({ cutout: { size: 4, probability: 1.5 } })).toThrow(
      'cutout.probability: expected a number in [0, 1], found 1.5',
    );
  });

  it('draws nothing for disabled augmentations', () => {
    const rng = new Rng(3);
    const draws = drawAugmentation(4, 8, 8, {}, rng);
    expect(draws).toEqual({ cropOffsets: undefined, flips: undefined, cutoutCenters: undefined });
    expect(rng.state()).toEqual(new Rng(3).state());
  });

  it('validates the config', () => {
    expect(() => validateAugmentationConfig({ randomCrop: { padding: -1 } })).toThrow(
      'randomCrop.padding: expected a non-negative integer, found -1',
    );
    expect(() => validateAugmentationConfig({ cutout: { size: 0 } })).toThrow('cutout.size: expected a positive integer, found 0');
  });
});

describe('augmentAndNormalize', () => {
  const normalization = { mean: [0.1, 0.2, 0.3], std: [0.5, 0.6, 0.7] };

  it('only normalizes without an rng', () => {
    const x = ramp(2, 4, 4, 3);
    const a = augmentAndNormalize(x, normalization, CIFAR10_AUGMENTATION);
    const b = normalize(x, normalization);
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([x, a, b]);
  });

  it('applies crop, flip, normalization and Cutout with the rng draws, reproducibly, without leaks', () => {
    const config = { randomCrop: { padding: 1 }, horizontalFlip: true, cutout: { size: 2 } };
    const x = ramp(3, 4, 4, 3);
    const before = tf.memory().numTensors;
    const a = augmentAndNormalize(x, normalization, config, new Rng(11));
    expect(tf.memory().numTensors).toBe(before + 1);

    const draws = drawAugmentation(3, 4, 4, config, new Rng(11));
    const expected = tf.tidy(() =>
      cutoutAt(
        normalize(flipWhere(cropAt(x, 1, draws.cropOffsets!), draws.flips!), normalization),
        2,
        draws.cutoutCenters!,
      ),
    );
    expect(a.arraySync()).toEqual(expected.arraySync());
    const again = augmentAndNormalize(x, normalization, config, new Rng(11));
    expect(again.arraySync()).toEqual(a.arraySync());
    tf.dispose([x, a, expected, again]);
  });

  it('gives the same result on the wasm backend (what training uses without tfjs-node)', async () => {
    const config = { randomCrop: { padding: 2 }, horizontalFlip: true, cutout: { size: 3 } };
    const data = Float32Array.from({ length: 4 * 6 * 6 * 3 }, (_, i) => (i * 7) % 256);
    const run = () => {
      const x = tf.tensor4d(data, [4, 6, 6, 3]);
      const y = augmentAndNormalize(x, normalization, config, new Rng(9));
      const out = y.arraySync();
      tf.dispose([x, y]);
      return out;
    };
    const onCpu = run();
    await tf.setBackend('wasm');
    try {
      expect(run()).toEqual(onCpu);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('the random wrappers leak no tensors', () => {
    const x = ramp(2, 4, 4, 1);
    const before = tf.memory().numTensors;
    const rng = new Rng(5);
    const outputs = [randomCrop(x, 2, rng), randomHorizontalFlip(x, rng), randomCutout(x, 2, rng)];
    expect(tf.memory().numTensors).toBe(before + 3);
    for (const y of outputs) expect(y.shape).toEqual([2, 4, 4, 1]);
    tf.dispose([x, ...outputs]);
  });
});
