import { join } from 'path';
import { promisify } from 'util';
import { gunzip } from 'zlib';
import { FASHION_MNIST_AUGMENTATION } from './augment';
import { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES } from './class-names';
import { DatasetFormatError } from './errors';
import { exists, readDatasetFile, requireDirectory } from './files';
import { InMemoryImageDataset, type ImageDatasetSplits, type ImageLoadOptions } from './image-dataset';
import { FASHION_MNIST_NORMALIZATION, MNIST_NORMALIZATION } from './statistics';

const gunzipAsync = promisify(gunzip);

/** Magic number of an idx file of unsigned bytes with 3 dimensions (images). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an idx file of unsigned bytes with 1 dimension (labels). */
export const IDX_LABELS_MAGIC = 2049;

/** Where the Debian package `dataset-fashion-mnist` installs Fashion-MNIST. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** An idx array of unsigned bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Parses an (uncompressed) idx file of unsigned bytes: big-endian magic `0x0000 08 <ndims>`, then
 * `ndims` big-endian 32-bit sizes, then the data.
 *
 * @param path - Only used in error messages.
 * @param expectedMagic - {@link IDX_IMAGES_MAGIC} or {@link IDX_LABELS_MAGIC}.
 * @throws DatasetFormatError for a wrong magic number or a size that disagrees with the header.
 */
export function parseIdx(bytes: Uint8Array, path: string, expectedMagic: number): IdxArray {
  const ndims = expectedMagic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < 4) throw new DatasetFormatError(path, `expected a ${headerBytes}-byte idx header, found ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new DatasetFormatError(
      path,
      `expected idx magic number ${expectedMagic} (${hex(expectedMagic)}: unsigned bytes, ${ndims} dimension${ndims === 1 ? '' : 's'}), found ${magic} (${hex(magic)})`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new DatasetFormatError(path, `expected a ${headerBytes}-byte idx header, found ${bytes.length} bytes`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + count) {
    throw new DatasetFormatError(
      path,
      `expected ${headerBytes} + ${dims.join('×')} = ${headerBytes + count} bytes, found ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Reads an idx file, gunzipping it when it is gzip-compressed (by content, whatever its name). */
export async function readIdxFile(path: string, expectedMagic: number): Promise<IdxArray> {
  let bytes = await readDatasetFile(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const buffer = await gunzipAsync(bytes);
      bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw new DatasetFormatError(path, `expected a valid gzip stream, found a corrupt one (${(error as Error).message})`);
    }
  } else if (path.endsWith('.gz')) {
    throw new DatasetFormatError(path, `expected gzip data (bytes 1f 8b), found ${hexBytes(bytes.subarray(0, 2))}`);
  }
  return parseIdx(bytes, path, expectedMagic);
}

function hexBytes(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'an empty file' : `bytes ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * Finds `<prefix>-<kind>-idx<n>-ubyte` in `dir`, also accepting a `.gz` suffix and the
 * `<prefix>-<kind>.idx<n>-ubyte` spelling.
 *
 * @throws DatasetFormatError (kind `missing`) naming the path when none exists.
 */
export async function findIdxFile(dir: string, prefix: string, kind: 'images' | 'labels'): Promise<string> {
  const n = kind === 'images' ? 3 : 1;
  const names = [`${prefix}-${kind}-idx${n}-ubyte`, `${prefix}-${kind}.idx${n}-ubyte`].flatMap((name) => [name, `${name}.gz`]);
  for (const name of names) {
    const path = join(dir, name);
    if (await exists(path)) return path;
  }
  throw new DatasetFormatError(join(dir, names[0]), `file not found (nor ${names.slice(1).join(', ')})`, 'missing');
}

/** Images and labels of one idx split. */
export interface IdxSplit {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly height: number;
  readonly width: number;
}

/**
 * Reads one split (`train` or `t10k`) of an MNIST-style dataset and checks that image and label
 * counts match and that labels are in `0 … numClasses-1`.
 */
export async function readIdxSplit(dir: string, prefix: string, numClasses: number): Promise<IdxSplit> {
  const imagesPath = await findIdxFile(dir, prefix, 'images');
  const labelsPath = await findIdxFile(dir, prefix, 'labels');
  const images = await readIdxFile(imagesPath, IDX_IMAGES_MAGIC);
  const labelsArray = await readIdxFile(labelsPath, IDX_LABELS_MAGIC);
  const [count, height, width] = images.dims;
  if (count === 0 || height === 0 || width === 0) {
    throw new DatasetFormatError(imagesPath, `expected non-empty images, found dimensions ${images.dims.join('×')}`);
  }
  if (labelsArray.dims[0] !== count) {
    throw new DatasetFormatError(labelsPath, `expected ${count} labels (as many as images in ${imagesPath}), found ${labelsArray.dims[0]}`);
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labelsArray.data[i];
    if (label >= numClasses) throw new DatasetFormatError(labelsPath, `item ${i}: expected a label in 0..${numClasses - 1}, found ${label}`);
    labels[i] = label;
  }
  return { pixels: images.data, labels, height, width };
}

/** Options of {@link loadIdxDataset}. */
export interface IdxLoadOptions extends ImageLoadOptions {
  /** Number of classes (labels must be below). Default 10. */
  readonly numClasses?: number;
  /** Class names, `numClasses` long. */
  readonly classNames?: readonly string[];
}

/**
 * Loads an MNIST-style dataset (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each plain or `.gz`) as single-channel images.
 * Without options, images are only scaled to [0, 1] and not augmented.
 *
 * @throws DatasetFormatError when a file is missing or malformed.
 */
export async function loadIdxDataset(dir: string, options: IdxLoadOptions = {}): Promise<ImageDatasetSplits> {
  const numClasses = options.numClasses ?? 10;
  await requireDirectory(dir);
  const train = await readIdxSplit(dir, 'train', numClasses);
  const test = await readIdxSplit(dir, 't10k', numClasses);
  if (test.height !== train.height || test.width !== train.width) {
    const path = await findIdxFile(dir, 't10k', 'images');
    throw new DatasetFormatError(
      path,
      `expected ${train.height}×${train.width} images (as in the train split), found ${test.height}×${test.width}`,
    );
  }
  const common = {
    height: train.height,
    width: train.width,
    channels: 1,
    numClasses,
    classNames: options.classNames,
    normalization: options.normalization,
  };
  return {
    train: new InMemoryImageDataset({ ...common, pixels: train.pixels, labels: train.labels, augmentation: options.augmentation }),
    test: new InMemoryImageDataset({ ...common, pixels: test.pixels, labels: test.labels }),
  };
}

/**
 * Loads Fashion-MNIST (28×28 grayscale, 10 classes) from `dir`, by default where the Debian
 * package `dataset-fashion-mnist` puts it. Train augmentation defaults to
 * {@link FASHION_MNIST_AUGMENTATION} (random crop only), normalization to the train-set statistics.
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DEFAULT_DIR, options: ImageLoadOptions = {}): Promise<ImageDatasetSplits> {
  return loadIdxDataset(dir, {
    numClasses: 10,
    classNames: FASHION_MNIST_CLASS_NAMES,
    normalization: options.normalization ?? FASHION_MNIST_NORMALIZATION,
    augmentation: options.augmentation ?? FASHION_MNIST_AUGMENTATION,
  });
}

/** Loads MNIST (28×28 grayscale digits) from `dir`; no train augmentation unless `options.augmentation` is given. */
export function loadMnist(dir: string, options: ImageLoadOptions = {}): Promise<ImageDatasetSplits> {
  return loadIdxDataset(dir, {
    numClasses: 10,
    classNames: MNIST_CLASS_NAMES,
    normalization: options.normalization ?? MNIST_NORMALIZATION,
    augmentation: options.augmentation,
  });
}
