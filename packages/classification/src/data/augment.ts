import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@ausam/core';

/**
 * Which training-time augmentations to apply. Absent fields are off.
 *
 * Order of application (the usual CIFAR pipeline): random crop and horizontal flip on the raw
 * pixels, then per-channel normalization, then Cutout (so cut squares are zero in normalized
 * space, i.e. the mean colour, as in DeVries & Taylor 2017).
 */
export interface AugmentationConfig {
  /** Pad each side with `padding` zero pixels, then crop back to the original size at a random offset. */
  readonly randomCrop?: { readonly padding: number };
  /** Mirror each image left-right with probability 1/2. */
  readonly horizontalFlip?: boolean;
  /**
   * Zero a `size`×`size` square (clipped at the borders) centered at a uniformly random pixel, in
   * each image with `probability` (default 1; ajiaaa/AUSAM's train.py uses 16 px with 0.5).
   */
  readonly cutout?: { readonly size: number; readonly probability?: number };
}

/** Per-channel statistics on the [0, 1] pixel scale: images become `(pixel / 255 - mean) / std`. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** No augmentation (evaluation, or datasets that should not be augmented). */
export const NO_AUGMENTATION: AugmentationConfig = Object.freeze({});

/** CIFAR-10: crop with padding 4, horizontal flip, Cutout 16×16 (DeVries & Taylor 2017). */
export const CIFAR10_AUGMENTATION: AugmentationConfig = Object.freeze({
  randomCrop: { padding: 4 },
  horizontalFlip: true,
  cutout: { size: 16 },
});

/** CIFAR-100: crop with padding 4, horizontal flip, Cutout 8×8 (DeVries & Taylor 2017). */
export const CIFAR100_AUGMENTATION: AugmentationConfig = Object.freeze({
  randomCrop: { padding: 4 },
  horizontalFlip: true,
  cutout: { size: 8 },
});

/** Fashion-MNIST / MNIST: random crop with padding 4 only (no flip: clothes and digits are not mirror-symmetric data). */
export const FASHION_MNIST_AUGMENTATION: AugmentationConfig = Object.freeze({ randomCrop: { padding: 4 } });

/** Tiny ImageNet (64×64): crop with padding 8 and horizontal flip. */
export const TINY_IMAGENET_AUGMENTATION: AugmentationConfig = Object.freeze({
  randomCrop: { padding: 8 },
  horizontalFlip: true,
});

/** Per-sample random parameters of one batch's augmentation, as drawn by {@link drawAugmentation}. */
export interface AugmentationDraws {
  /** `[dy0, dx0, dy1, dx1, …]`, each in `[0, 2·padding]` (offset into the padded image). */
  readonly cropOffsets?: Int32Array;
  /** 1 where the image is mirrored. */
  readonly flips?: Uint8Array;
  /** `[cy0, cx0, cy1, cx1, …]`, the Cutout centers, `cy` in `[0, height)` (`-size`: skipped), `cx` in `[0, width)`. */
  readonly cutoutCenters?: Int32Array;
}

/** Throws a RangeError unless `config` holds valid sizes. */
export function validateAugmentationConfig(config: AugmentationConfig): void {
  const padding = config.randomCrop?.padding;
  if (padding !== undefined && !(Number.isInteger(padding) && padding >= 0)) {
    throw new RangeError(`randomCrop.padding: expected a non-negative integer, found ${padding}`);
  }
  const size = config.cutout?.size;
  if (size !== undefined && !(Number.isInteger(size) && size > 0)) {
    throw new RangeError(`cutout.size: expected a positive integer, found ${size}`);
  }
  const probability = config.cutout?.probability;
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new RangeError(`cutout.probability: expected a number in [0, 1], found ${probability}`);
  }
}

/** True when `config` enables at least one augmentation. */
export function hasAugmentation(config: AugmentationConfig): boolean {
  return config.randomCrop !== undefined || config.horizontalFlip === true || config.cutout !== undefined;
}

/**
 * Draws the random parameters of `n` samples from `rng`, in a fixed order so a seeded run is
 * reproducible: all crop offsets (dy then dx per sample), then all flips, then all Cutout centers
 * (cy then cx per sample). Disabled augmentations draw nothing.
 */
export function drawAugmentation(
  n: number,
  height: number,
  width: number,
  config: AugmentationConfig,
  rng: Rng,
): AugmentationDraws {
  validateAugmentationConfig(config);
  let cropOffsets: Int32Array | undefined;
  let flips: Uint8Array | undefined;
  let cutoutCenters: Int32Array | undefined;
  if (config.randomCrop !== undefined) {
    const range = 2 * config.randomCrop.padding + 1;
    cropOffsets = new Int32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) cropOffsets[i] = rng.int(range);
  }
  if (config.horizontalFlip === true) {
    flips = new Uint8Array(n);
    for (let i = 0; i < n; i++) flips[i] = rng.next() < 0.5 ? 1 : 0;
  }
  if (config.cutout !== undefined) {
    const { size, probability = 1 } = config.cutout;
    cutoutCenters = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      cutoutCenters[2 * i] = rng.int(height);
      cutoutCenters[2 * i + 1] = rng.int(width);
      // A skipped Cutout moves its square off the image; the coin is drawn only when p < 1 so
      // configs without a probability keep their random stream.
      if (probability < 1 && rng.next() >= probability) cutoutCenters[2 * i] = -size;
    }
  }
  return { cropOffsets, flips, cutoutCenters };
}

function splitPairs(pairs: Int32Array, n: number, what: string): [Int32Array, Int32Array] {
  if (pairs.length !== 2 * n) throw new RangeError(`${what}: expected ${2 * n} values for ${n} images, found ${pairs.length}`);
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = pairs[2 * i];
    b[i] = pairs[2 * i + 1];
  }
  return [a, b];
}

/**
 * Crop (with zero padding) and horizontal flip in one gather: output pixel `(i, j)` of image `n`
 * is input pixel `(i + dy - padding, j' + dx - padding)` of the same image, with
 * `j' = W - 1 - j` when the image is flipped and `j` otherwise, and zero when that falls outside
 * the image. Offsets default to `padding` (no shift), flips to none.
 */
export function cropAndFlipAt(
  images: tf.Tensor4D,
  padding: number,
  offsets?: Int32Array,
  flips?: Uint8Array,
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  let dy: Int32Array = new Int32Array(n).fill(padding);
  let dx: Int32Array = new Int32Array(n).fill(padding);
  if (offsets !== undefined) {
    [dy, dx] = splitPairs(offsets, n, 'crop offsets');
    for (let i = 0; i < 2 * n; i++) {
      if (!(offsets[i] >= 0 && offsets[i] <= 2 * padding)) {
        throw new RangeError(`crop offset ${offsets[i]}: expected 0..${2 * padding}`);
      }
    }
  }
  if (flips !== undefined && flips.length !== n) throw new RangeError(`flips: expected ${n} values, found ${flips.length}`);
  return tf.tidy(() => {
    if (n === 0) return tf.clone(images);
    // Gather rows of the images viewed as [n·h·w, c] plus one zero row (index n·h·w) for padding.
    // The indices are integers, computed here in one pass rather than as a dozen broadcasting int32
    // kernels; gatherND then copies whole rows (tfjs-backend-wasm's Gather would recompute a
    // multi-dimensional index for every element).
    const zeroRow = n * h * w;
    const index = new Int32Array(n * h * w);
    for (let i = 0; i < n; i++) {
      const flipped = flips !== undefined && flips[i] !== 0;
      for (let y = 0; y < h; y++) {
        const row = dy[i] - padding + y;
        const rowStart = i * h * w + row * w;
        for (let x = 0; x < w; x++) {
          const column = dx[i] - padding + (flipped ? w - 1 - x : x);
          const inside = row >= 0 && row < h && column >= 0 && column < w;
          index[(i * h + y) * w + x] = inside ? rowStart + column : zeroRow;
        }
      }
    }
    const source = tf.concat([tf.reshape(images, [zeroRow, c]), tf.zeros([1, c], images.dtype)], 0);
    return tf.gatherND(source, tf.tensor4d(index, [n, h, w, 1], 'int32')) as tf.Tensor4D;
  });
}

/**
 * Zero-pads each image by `padding` on every side and crops the original size at the given
 * offsets (`[dy0, dx0, dy1, dx1, …]` into the padded image; `padding, padding` is the identity).
 */
export function cropAt(images: tf.Tensor4D, padding: number, offsets: Int32Array): tf.Tensor4D {
  return cropAndFlipAt(images, padding, offsets);
}

/** Mirrors left-right the images whose `flips` entry is non-zero. */
export function flipWhere(images: tf.Tensor4D, flips: Uint8Array): tf.Tensor4D {
  return cropAndFlipAt(images, 0, undefined, flips);
}

/**
 * Zeroes, in each image, the `size`×`size` square whose rows are `cy - ⌊size/2⌋ … cy - ⌊size/2⌋ + size - 1`
 * (and likewise columns), clipped at the borders. `centers` is `[cy0, cx0, cy1, cx1, …]`.
 */
export function cutoutAt(images: tf.Tensor4D, size: number, centers: Int32Array): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const [cy, cx] = splitPairs(centers, n, 'cutout centers');
  const half = Math.floor(size / 2);
  return tf.tidy(() => {
    if (n === 0) return tf.clone(images);
    const inside = (centerValues: Int32Array, positions: tf.Tensor2D): tf.Tensor2D => {
      const first = tf.tensor2d(centerValues.map((v) => v - half), [n, 1], 'int32');
      const end = tf.tensor2d(centerValues.map((v) => v - half + size), [n, 1], 'int32');
      return tf.cast(tf.logicalAnd(tf.greaterEqual(positions, first), tf.less(positions, end)), 'float32') as tf.Tensor2D;
    };
    const rowCut = inside(cy, tf.reshape(tf.range(0, h, 1, 'int32'), [1, h]));
    // Column of each (x, channel) position of a row, so the mask is built at full size directly.
    const columnOf = tf.reshape(tf.floorDiv(tf.range(0, w * c, 1, 'int32'), tf.scalar(c, 'int32')), [1, w * c]);
    const colCut = inside(cx, columnOf as tf.Tensor2D);
    const cut = tf.matMul(tf.reshape(rowCut, [n, h, 1]), tf.reshape(colCut, [n, 1, w * c]));
    const kept = tf.mul(tf.reshape(images, [n, h, w * c]), tf.sub(1, cut));
    return tf.reshape(kept, [n, h, w, c]) as tf.Tensor4D;
  });
}

/** Random crop with zero padding, offsets drawn from `rng`. */
export function randomCrop(images: tf.Tensor4D, padding: number, rng: Rng): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const draws = drawAugmentation(n, h, w, { randomCrop: { padding } }, rng);
  return cropAt(images, padding, draws.cropOffsets!);
}

/** Horizontal flip of each image with probability 1/2, coins drawn from `rng`. */
export function randomHorizontalFlip(images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const [n, h, w] = images.shape;
  return flipWhere(images, drawAugmentation(n, h, w, { horizontalFlip: true }, rng).flips!);
}

/** Cutout of a `size`×`size` square at a random center per image, centers drawn from `rng`. */
export function randomCutout(images: tf.Tensor4D, size: number, rng: Rng): tf.Tensor4D {
  const [n, h, w] = images.shape;
  return cutoutAt(images, size, drawAugmentation(n, h, w, { cutout: { size } }, rng).cutoutCenters!);
}

/** Throws a RangeError unless `normalization` has `channels` means and positive stds. */
export function validateNormalization(normalization: Normalization, channels: number): void {
  const { mean, std } = normalization;
  if (mean.length !== channels || std.length !== channels) {
    throw new RangeError(
      `normalization: expected ${channels} means and stds, found ${mean.length} and ${std.length}`,
    );
  }
  if (std.some((s) => !(s > 0))) throw new RangeError(`normalization: std must be positive, found [${std.join(', ')}]`);
}

/** `(images · scale - mean) / std` per channel (the last axis). `scale` maps raw pixels to [0, 1]. */
export function normalize(images: tf.Tensor4D, normalization: Normalization, scale = 1 / 255): tf.Tensor4D {
  validateNormalization(normalization, images.shape[3]);
  return tf.tidy(() => {
    // (x·scale - mean) / std = x·(scale / std) + (-mean / std)
    const factor = tf.tensor1d(normalization.std.map((s) => scale / s), 'float32');
    const offset = tf.tensor1d(normalization.mean.map((m, i) => -m / normalization.std[i]), 'float32');
    return tf.add(tf.mul(images, factor), offset) as tf.Tensor4D;
  });
}

/**
 * The full pipeline on raw pixel values (0..255, float32): when `rng` is given, random crop and
 * flip, then normalization, then Cutout, as enabled in `config`; without `rng` only normalization.
 * Does not dispose `raw`.
 */
export function augmentAndNormalize(
  raw: tf.Tensor4D,
  normalization: Normalization,
  config: AugmentationConfig = NO_AUGMENTATION,
  rng?: Rng,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (rng === undefined || !hasAugmentation(config)) return normalize(raw, normalization);
    const [n, h, w] = raw.shape;
    const draws = drawAugmentation(n, h, w, config, rng);
    let x = raw;
    if (draws.cropOffsets || draws.flips) x = cropAndFlipAt(x, config.randomCrop?.padding ?? 0, draws.cropOffsets, draws.flips);
    x = normalize(x, normalization);
    if (draws.cutoutCenters) x = cutoutAt(x, config.cutout!.size, draws.cutoutCenters);
    return x;
  });
}
