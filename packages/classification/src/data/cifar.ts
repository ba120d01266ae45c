import { join } from 'path';
import { CIFAR10_AUGMENTATION, CIFAR100_AUGMENTATION } from './augment';
import { CIFAR10_CLASS_NAMES, CIFAR100_COARSE_CLASS_NAMES, CIFAR100_FINE_CLASS_NAMES } from './class-names';
import { DatasetFormatError } from './errors';
import { readClassNames, readDatasetFile, requireDirectory } from './files';
import { InMemoryImageDataset, type ImageDatasetSplits, type ImageLoadOptions } from './image-dataset';
import { CIFAR10_NORMALIZATION, CIFAR100_NORMALIZATION } from './statistics';

/** CIFAR images are 32×32 RGB. */
export const CIFAR_IMAGE_SIZE = 32;
/** Bytes of one CIFAR image (3 planes of 32×32). */
export const CIFAR_IMAGE_BYTES = 3 * CIFAR_IMAGE_SIZE * CIFAR_IMAGE_SIZE;

/** The train files of the CIFAR-10 binary version, in order. */
export const CIFAR10_TRAIN_FILES: readonly string[] = Object.freeze([1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`));
/** The test file of the CIFAR-10 binary version. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';

/** Images (HWC) and labels decoded from CIFAR binary records. */
export interface CifarRecords {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

/** How the records of a CIFAR binary file are laid out. */
export interface CifarRecordLayout {
  /** Label bytes before the image: 1 for CIFAR-10, 2 (coarse, fine) for CIFAR-100. */
  readonly labelBytes: number;
  /** Class count of each label byte, e.g. `[10]` or `[20, 100]`. */
  readonly labelClasses: readonly number[];
  /** Which label byte becomes the label. */
  readonly labelIndex: number;
}

/** CIFAR-10 record: 1 label byte + 3072 image bytes. */
export const CIFAR10_LAYOUT: CifarRecordLayout = Object.freeze({ labelBytes: 1, labelClasses: [10], labelIndex: 0 });

/** CIFAR-100 record: coarse label byte, fine label byte + 3072 image bytes. */
export function cifar100Layout(label: 'fine' | 'coarse'): CifarRecordLayout {
  return { labelBytes: 2, labelClasses: [20, 100], labelIndex: label === 'coarse' ? 0 : 1 };
}

/**
 * Decodes a CIFAR binary file: records of label byte(s) then 3072 image bytes as three 32×32
 * planes (R, G, B), converted to HWC.
 *
 * @param path - Only used in error messages.
 * @throws DatasetFormatError for a size that is not a whole number of records, or a label out of range.
 */
export function parseCifarRecords(bytes: Uint8Array, path: string, layout: CifarRecordLayout): CifarRecords {
  const recordBytes = layout.labelBytes + CIFAR_IMAGE_BYTES;
  if (bytes.length === 0) {
    throw new DatasetFormatError(path, `expected at least one ${recordBytes}-byte record, found an empty file`);
  }
  if (bytes.length % recordBytes !== 0) {
    throw new DatasetFormatError(path, `expected a multiple of ${recordBytes} bytes, found ${bytes.length}`);
  }
  const count = bytes.length / recordBytes;
  const pixels = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Int32Array(count);
  const plane = CIFAR_IMAGE_SIZE * CIFAR_IMAGE_SIZE;
  for (let r = 0; r < count; r++) {
    const base = r * recordBytes;
    for (let b = 0; b < layout.labelBytes; b++) {
      const value = bytes[base + b];
      const classes = layout.labelClasses[b];
      if (value >= classes) {
        const which = layout.labelBytes === 1 ? 'label' : b === 0 ? 'coarse label' : 'fine label';
        throw new DatasetFormatError(path, `record ${r}: expected a ${which} in 0..${classes - 1}, found ${value}`);
      }
    }
    labels[r] = bytes[base + layout.labelIndex];
    const src = base + layout.labelBytes;
    const dst = r * CIFAR_IMAGE_BYTES;
    for (let p = 0; p < plane; p++) {
      pixels[dst + 3 * p] = bytes[src + p];
      pixels[dst + 3 * p + 1] = bytes[src + plane + p];
      pixels[dst + 3 * p + 2] = bytes[src + 2 * plane + p];
    }
  }
  return { pixels, labels };
}

/** Reads and concatenates CIFAR binary files, in order. */
export async function readCifarFiles(paths: readonly string[], layout: CifarRecordLayout): Promise<CifarRecords> {
  const parts: CifarRecords[] = [];
  for (const path of paths) parts.push(parseCifarRecords(await readDatasetFile(path), path, layout));
  if (parts.length === 1) return parts[0];
  const pixels = new Uint8Array(parts.reduce((n, p) => n + p.pixels.length, 0));
  const labels = new Int32Array(parts.reduce((n, p) => n + p.labels.length, 0));
  let pixelOffset = 0;
  let labelOffset = 0;
  for (const part of parts) {
    pixels.set(part.pixels, pixelOffset);
    labels.set(part.labels, labelOffset);
    pixelOffset += part.pixels.length;
    labelOffset += part.labels.length;
  }
  return { pixels, labels };
}

function makeSplits(
  train: CifarRecords,
  test: CifarRecords,
  numClasses: number,
  classNames: readonly string[],
  options: ImageLoadOptions,
  defaults: Required<ImageLoadOptions>,
): ImageDatasetSplits {
  const common = {
    height: CIFAR_IMAGE_SIZE,
    width: CIFAR_IMAGE_SIZE,
    channels: 3,
    numClasses,
    classNames,
    normalization: options.normalization ?? defaults.normalization,
  };
  return {
    train: new InMemoryImageDataset({ ...common, ...train, augmentation: options.augmentation ?? defaults.augmentation }),
    test: new InMemoryImageDataset({ ...common, ...test }),
  };
}

/**
 * Loads the CIFAR-10 binary version from `dir` (the `cifar-10-batches-bin` folder):
 * `data_batch_1.bin … data_batch_5.bin` for train, `test_batch.bin` for test, class names from
 * `batches.meta.txt` when present. Train augmentation defaults to {@link CIFAR10_AUGMENTATION}.
 *
 * @throws DatasetFormatError when a file is missing or malformed.
 */
export async function loadCifar10(dir: string, options: ImageLoadOptions = {}): Promise<ImageDatasetSplits> {
  await requireDirectory(dir);
  const train = await readCifarFiles(
    CIFAR10_TRAIN_FILES.map((f) => join(dir, f)),
    CIFAR10_LAYOUT,
  );
  const test = await readCifarFiles([join(dir, CIFAR10_TEST_FILE)], CIFAR10_LAYOUT);
  const classNames = await readClassNames(join(dir, 'batches.meta.txt'), 10, CIFAR10_CLASS_NAMES);
  return makeSplits(train, test, 10, classNames, options, {
    normalization: CIFAR10_NORMALIZATION,
    augmentation: CIFAR10_AUGMENTATION,
  });
}

/** Options of {@link loadCifar100}. */
export interface Cifar100LoadOptions extends ImageLoadOptions {
  /** Which label to train on: the 100 fine classes (default) or the 20 coarse superclasses. */
  readonly label?: 'fine' | 'coarse';
}

/**
 * Loads the CIFAR-100 binary version from `dir` (the `cifar-100-binary` folder): `train.bin` and
 * `test.bin`, class names from `fine_label_names.txt` / `coarse_label_names.txt` when present.
 * Train augmentation defaults to {@link CIFAR100_AUGMENTATION}.
 *
 * @throws DatasetFormatError when a file is missing or malformed.
 */
export async function loadCifar100(dir: string, options: Cifar100LoadOptions = {}): Promise<ImageDatasetSplits> {
  const label = options.label ?? 'fine';
  if (label !== 'fine' && label !== 'coarse') throw new RangeError(`label: expected 'fine' or 'coarse', found '${label}'`);
  await requireDirectory(dir);
  const layout = cifar100Layout(label);
  const train = await readCifarFiles([join(dir, 'train.bin')], layout);
  const test = await readCifarFiles([join(dir, 'test.bin')], layout);
  const numClasses = label === 'fine' ? 100 : 20;
  const classNames =
    label === 'fine'
      ? await readClassNames(join(dir, 'fine_label_names.txt'), 100, CIFAR100_FINE_CLASS_NAMES)
      : await readClassNames(join(dir, 'coarse_label_names.txt'), 20, CIFAR100_COARSE_CLASS_NAMES);
  return makeSplits(train, test, numClasses, classNames, options, {
    normalization: CIFAR100_NORMALIZATION,
    augmentation: CIFAR100_AUGMENTATION,
  });
}
