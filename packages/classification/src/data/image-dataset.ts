import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, Rng } from '@ausam/core';
import {
  augmentAndNormalize,
  NO_AUGMENTATION,
  validateAugmentationConfig,
  validateNormalization,
  type AugmentationConfig,
  type Normalization,
} from './augment';
import type { ClassificationBatch } from './classification-batch';

/** What an {@link InMemoryImageDataset} is made of. */
export interface InMemoryImageDatasetInit {
  /** Raw pixels, `[N, height, width, channels]` row-major (HWC per image), 0..255. */
  readonly pixels: Uint8Array;
  /** Class index of each image, in `[0, numClasses)`. */
  readonly labels: Int32Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** Optional name of each class, `numClasses` long. */
  readonly classNames?: readonly string[];
  /** Per-channel mean/std on the [0, 1] scale. Defaults to mean 0, std 1 (pixels / 255 only). */
  readonly normalization?: Normalization;
  /** Augmentation applied when {@link InMemoryImageDataset.batches} gets an rng. Defaults to none. */
  readonly augmentation?: AugmentationConfig;
}

/** Per-channel mean/std of a set of images on the [0, 1] scale (population std). */
export function channelStatistics(pixels: Uint8Array, channels: number): Normalization {
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = pixels[i + c];
      sum[c] += v;
      sumSquares[c] += v * v;
    }
  }
  const count = pixels.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = sum[c] / count;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(sumSquares[c] / count - m * m, 0)) / 255);
  }
  return { mean, std };
}

/**
 * Labelled images held in memory as bytes; batches are built on demand, normalized, and augmented
 * when an rng is passed. Sample ids are indices `0 … size-1`.
 */
export class InMemoryImageDataset implements Dataset<ClassificationBatch> {
  readonly size: number;
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly normalization: Normalization;
  readonly augmentation: AugmentationConfig;

  /** @throws RangeError when sizes disagree or a label is out of range. */
  constructor(init: InMemoryImageDatasetInit) {
    const { pixels, labels, height, width, channels, numClasses } = init;
    for (const [name, value] of Object.entries({ height, width, channels, numClasses })) {
      if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name}: expected a positive integer, found ${value}`);
    }
    const imageBytes = height * width * channels;
    if (pixels.length !== labels.length * imageBytes) {
      throw new RangeError(
        `pixels: expected ${labels.length} × ${height}×${width}×${channels} = ${labels.length * imageBytes} bytes, found ${pixels.length}`,
      );
    }
    for (let i = 0; i < labels.length; i++) {
      if (!(labels[i] >= 0 && labels[i] < numClasses)) {
        throw new RangeError(`label of sample ${i}: expected 0..${numClasses - 1}, found ${labels[i]}`);
      }
    }
    if (init.classNames !== undefined && init.classNames.length !== numClasses) {
      throw new RangeError(`classNames: expected ${numClasses} names, found ${init.classNames.length}`);
    }
    const normalization = init.normalization ?? {
      mean: new Array<number>(channels).fill(0),
      std: new Array<number>(channels).fill(1),
    };
    validateNormalization(normalization, channels);
    const augmentation = init.augmentation ?? NO_AUGMENTATION;
    validateAugmentationConfig(augmentation);

    this.size = labels.length;
    this.pixels = pixels;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.numClasses = numClasses;
    this.classNames = init.classNames;
    this.normalization = normalization;
    this.augmentation = augmentation;
  }

  /** Bytes of one image (`height · width · channels`). */
  get imageBytes(): number {
    return this.height * this.width * this.channels;
  }

  /**
   * Yields the samples `ids` in that order, `batchSize` at a time (the last batch may be smaller).
   * With `rng`, each batch is augmented per {@link InMemoryImageDataset.augmentation}; without, it
   * is only normalized. The caller owns (and disposes) each batch's tensors.
   *
   * @throws RangeError at once (not on iteration) for an id outside `0 … size-1` or a bad batch size.
   */
  batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<ClassificationBatch> {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new RangeError(`batchSize: expected a positive integer, found ${batchSize}`);
    }
    this.checkIds(ids);
    const ownIds = ids.slice();
    return {
      [Symbol.asyncIterator]: () => this.iterate(ownIds, batchSize, rng),
    };
  }

  /** The batch of samples `ids` (see {@link InMemoryImageDataset.batches}). */
  batch(ids: Int32Array, rng?: Rng): ClassificationBatch {
    this.checkIds(ids);
    const raw = this.rawImages(ids);
    try {
      const images = augmentAndNormalize(raw, this.normalization, this.augmentation, rng);
      const labels = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) labels[i] = this.labels[ids[i]];
      return { ids: ids.slice(), images, labels: tf.tensor1d(labels, 'int32') };
    } finally {
      raw.dispose();
    }
  }

  /** Raw pixel values (0..255) of samples `ids` as float32 NHWC, neither augmented nor normalized. */
  rawImages(ids: Int32Array): tf.Tensor4D {
    this.checkIds(ids);
    const size = this.imageBytes;
    const gathered = new Uint8Array(ids.length * size);
    for (let i = 0; i < ids.length; i++) {
      const start = ids[i] * size;
      gathered.set(this.pixels.subarray(start, start + size), i * size);
    }
    return tf.tensor4d(new Float32Array(gathered), [ids.length, this.height, this.width, this.channels], 'float32');
  }

  /** The first `count` samples (sharing memory with this dataset). */
  subset(count: number): InMemoryImageDataset {
    if (!(Number.isInteger(count) && count >= 0 && count <= this.size)) {
      throw new RangeError(`subset: expected a count in 0..${this.size}, found ${count}`);
    }
    return this.derive(this.pixels.subarray(0, count * this.imageBytes), this.labels.subarray(0, count));
  }

  /** A new dataset of samples `ids` (copied, in that order); its ids are `0 … ids.length-1`. */
  select(ids: Int32Array): InMemoryImageDataset {
    this.checkIds(ids);
    const size = this.imageBytes;
    const pixels = new Uint8Array(ids.length * size);
    const labels = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      pixels.set(this.pixels.subarray(ids[i] * size, (ids[i] + 1) * size), i * size);
      labels[i] = this.labels[ids[i]];
    }
    return this.derive(pixels, labels);
  }

  /**
   * Splits into `[first, rest]` where `first` has `count` samples: the first `count` ids, or, with
   * `rng`, `count` ids drawn at random (each part keeps the original order). E.g. a validation hold-out.
   */
  split(count: number, rng?: Rng): [InMemoryImageDataset, InMemoryImageDataset] {
    if (!(Number.isInteger(count) && count >= 0 && count <= this.size)) {
      throw new RangeError(`split: expected a count in 0..${this.size}, found ${count}`);
    }
    const order = Int32Array.from({ length: this.size }, (_, i) => i);
    if (rng !== undefined) rng.shuffle(order);
    const first = order.slice(0, count).sort();
    const rest = order.slice(count).sort();
    return [this.select(first), this.select(rest)];
  }

  /**
   * The same images with other labels (e.g. {@link symmetricLabelNoise}'s), one per sample in
   * 0…numClasses−1; augmentation and normalization are kept.
   */
  withLabels(labels: Int32Array): InMemoryImageDataset {
    if (labels.length !== this.size) throw new RangeError(`withLabels: expected ${this.size} labels, found ${labels.length}`);
    return this.derive(this.pixels, Int32Array.from(labels));
  }

  /** The same samples with another augmentation and/or normalization. */
  with(changes: { augmentation?: AugmentationConfig; normalization?: Normalization }): InMemoryImageDataset {
    return new InMemoryImageDataset({
      ...this.init(this.pixels, this.labels),
      augmentation: changes.augmentation ?? this.augmentation,
      normalization: changes.normalization ?? this.normalization,
    });
  }

  /** Number of samples of each class. */
  classCounts(): Int32Array {
    const counts = new Int32Array(this.numClasses);
    for (let i = 0; i < this.size; i++) counts[this.labels[i]]++;
    return counts;
  }

  /** All ids `0 … size-1` in order. */
  allIds(): Int32Array {
    return Int32Array.from({ length: this.size }, (_, i) => i);
  }

  private async *iterate(ids: Int32Array, batchSize: number, rng?: Rng): AsyncGenerator<ClassificationBatch> {
    for (let start = 0; start < ids.length; start += batchSize) {
      yield this.batch(ids.subarray(start, Math.min(start + batchSize, ids.length)), rng);
    }
  }

  private checkIds(ids: Int32Array): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < this.size)) {
        throw new RangeError(`sample id ${id} at position ${i}: expected 0..${this.size - 1} (dataset size ${this.size})`);
      }
    }
  }

  private init(pixels: Uint8Array, labels: Int32Array): InMemoryImageDatasetInit {
    return {
      pixels,
      labels,
      height: this.height,
      width: this.width,
      channels: this.channels,
      numClasses: this.numClasses,
      classNames: this.classNames,
      normalization: this.normalization,
      augmentation: this.augmentation,
    };
  }

  private derive(pixels: Uint8Array, labels: Int32Array): InMemoryImageDataset {
    return new InMemoryImageDataset(this.init(pixels, labels));
  }
}

/** A dataset's training and test splits. */
export interface ImageDatasetSplits {
  readonly train: InMemoryImageDataset;
  readonly test: InMemoryImageDataset;
}

/** Options shared by the loaders. */
export interface ImageLoadOptions {
  /** Augmentation of the train split (the test split gets none). Defaults to the dataset's usual one. */
  readonly augmentation?: AugmentationConfig;
  /** Normalization of both splits. Defaults to the dataset's published train-set statistics. */
  readonly normalization?: Normalization;
}
