import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import * as spec from '../../../../tools/fixtures/classification-fixture-spec';
import { FASHION_MNIST_AUGMENTATION, NO_AUGMENTATION } from './augment';
import { FASHION_MNIST_CLASS_NAMES } from './class-names';
import { loadFashionMnist, loadIdxDataset, loadMnist, parseIdx } from './idx';
import type { InMemoryImageDataset } from './image-dataset';
import { FASHION_MNIST_NORMALIZATION } from './statistics';
import { expectDatasetError, TempDirs } from './test-utils';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const S = spec.FASHION_SIZE;

function expectFashionPixels(ds: InMemoryImageDataset, split: number): void {
  let mismatches = 0;
  for (let i = 0; i < ds.size; i++) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) if (ds.pixels[(i * S + y) * S + x] !== spec.fashionPixel(split, i, y, x)) mismatches++;
    }
  }
  expect(mismatches).toBe(0);
}

function idxBytes(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

describe('loadFashionMnist on the fixture', () => {
  it('reads gzipped train files and plain t10k files', async () => {
    const { train, test } = await loadFashionMnist(spec.FASHION_MNIST_DIR);
    expect([train.size, test.size]).toEqual([spec.FASHION_TRAIN_LABELS.length, spec.FASHION_TEST_LABELS.length]);
    expect([train.height, train.width, train.channels, train.numClasses]).toEqual([28, 28, 1, 10]);
    expect(Array.from(train.labels)).toEqual(spec.FASHION_TRAIN_LABELS);
    expect(Array.from(test.labels)).toEqual(spec.FASHION_TEST_LABELS);
    expectFashionPixels(train, spec.TRAIN);
    expectFashionPixels(test, spec.TEST);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(train.normalization).toEqual(FASHION_MNIST_NORMALIZATION);
    expect(train.augmentation).toEqual(FASHION_MNIST_AUGMENTATION);
    expect(test.augmentation).toEqual(NO_AUGMENTATION);
  });

  it('accepts the `train-images.idx3-ubyte` spelling and uncompressed train files', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const gz = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(join(dir, 'train-images.idx3-ubyte'), gunzipSync(readFileSync(gz)));
    rmSync(gz);
    const { train } = await loadMnist(dir);
    expectFashionPixels(train, spec.TRAIN);
    expect(train.augmentation).toEqual(NO_AUGMENTATION);
  });

  it('checks labels against a custom class count', async () => {
    const dir = spec.FASHION_MNIST_DIR;
    const path = join(dir, 'train-labels-idx1-ubyte.gz');
    await expectDatasetError(() => loadIdxDataset(dir, { numClasses: 5 }), path, 'item 5: expected a label in 0..4, found 5');
  });
});

describe('idx malformed', () => {
  it('bad magic number in an images file', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-images-idx3-ubyte');
    const bytes = readFileSync(path);
    bytes.writeUInt32BE(2049, 0);
    writeFileSync(path, bytes);
    await expectDatasetError(
      () => loadFashionMnist(dir),
      path,
      'expected idx magic number 2051 (0x00000803: unsigned bytes, 3 dimensions), found 2049 (0x00000801)',
    );
  });

  it('bad magic number in a gzipped labels file', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 'train-labels-idx1-ubyte.gz');
    const bytes = gunzipSync(readFileSync(path));
    bytes.writeUInt32BE(0x12345678, 0);
    writeFileSync(path, gzipSync(bytes));
    await expectDatasetError(
      () => loadFashionMnist(dir),
      path,
      'expected idx magic number 2049 (0x00000801: unsigned bytes, 1 dimension), found 305419896 (0x12345678)',
    );
  });

  it('a truncated images file', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-images-idx3-ubyte');
    truncateSync(path, 1000);
    await expectDatasetError(() => loadFashionMnist(dir), path, 'expected 16 + 5×28×28 = 3936 bytes, found 1000');
  });

  it('a file shorter than its header', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-labels-idx1-ubyte');
    truncateSync(path, 6);
    await expectDatasetError(() => loadFashionMnist(dir), path, 'expected a 8-byte idx header, found 6 bytes');
  });

  it('a truncated gzip stream', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 'train-images-idx3-ubyte.gz');
    truncateSync(path, 40);
    await expectDatasetError(() => loadFashionMnist(dir), path, /expected a valid gzip stream, found a corrupt one \(.+\)$/);
  });

  it('a .gz file that is not gzip', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 'train-labels-idx1-ubyte.gz');
    writeFileSync(path, gunzipSync(readFileSync(path)));
    await expectDatasetError(() => loadFashionMnist(dir), path, 'expected gzip data (bytes 1f 8b), found bytes 00 00');
  });

  it('a label out of range', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-labels-idx1-ubyte');
    const bytes = readFileSync(path);
    bytes[8 + 2] = 10;
    writeFileSync(path, bytes);
    await expectDatasetError(() => loadFashionMnist(dir), path, 'item 2: expected a label in 0..9, found 10');
  });

  it('image and label counts that differ', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-labels-idx1-ubyte');
    writeFileSync(path, idxBytes(2049, [4], Uint8Array.from([1, 2, 3, 4])));
    await expectDatasetError(
      () => loadFashionMnist(dir),
      path,
      `expected 5 labels (as many as images in ${join(dir, 't10k-images-idx3-ubyte')}), found 4`,
    );
  });

  it('test images of another size than train images', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    const path = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(path, idxBytes(2051, [5, 27, 27], new Uint8Array(5 * 27 * 27)));
    await expectDatasetError(() => loadFashionMnist(dir), path, 'expected 28×28 images (as in the train split), found 27×27');
  });

  it('a missing file', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    rmSync(join(dir, 'train-labels-idx1-ubyte.gz'));
    await expectDatasetError(
      () => loadFashionMnist(dir),
      join(dir, 'train-labels-idx1-ubyte'),
      'file not found (nor train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz)',
      'missing',
    );
  });

  it('a missing folder', async () => {
    const dir = join(temp.make(), 'fashion-mnist');
    await expectDatasetError(() => loadFashionMnist(dir), dir, 'folder not found', 'missing');
  });

  it('parseIdx: data longer than the header says', () => {
    const bytes = idxBytes(2049, [2], Uint8Array.from([1, 2, 3]));
    expect(() => parseIdx(bytes, 'labels', 2049)).toThrow('labels: expected 8 + 2 = 10 bytes, found 11');
  });

  it('renamed spelling is found before a missing-file error', async () => {
    const dir = temp.copy(spec.FASHION_MNIST_DIR);
    renameSync(join(dir, 't10k-labels-idx1-ubyte'), join(dir, 't10k-labels.idx1-ubyte'));
    const { test } = await loadFashionMnist(dir);
    expect(Array.from(test.labels)).toEqual(spec.FASHION_TEST_LABELS);
  });
});
