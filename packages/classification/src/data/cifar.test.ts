import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as spec from '../../../../tools/fixtures/classification-fixture-spec';
import { CIFAR10_AUGMENTATION, CIFAR100_AUGMENTATION, NO_AUGMENTATION } from './augment';
import { loadCifar10, loadCifar100, parseCifarRecords, CIFAR10_LAYOUT } from './cifar';
import { CIFAR10_CLASS_NAMES, CIFAR100_COARSE_CLASS_NAMES, CIFAR100_FINE_CLASS_NAMES } from './class-names';
import { disposeClassificationBatch } from './classification-batch';
import type { InMemoryImageDataset } from './image-dataset';
import { CIFAR10_NORMALIZATION } from './statistics';
import { expectDatasetError, TempDirs } from './test-utils';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Checks every pixel (HWC) of `ds` against the generator's pattern. */
function expectCifarPixels(ds: InMemoryImageDataset, dataset: 10 | 100, split: number): void {
  let mismatches = 0;
  for (let i = 0; i < ds.size; i++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          if (ds.pixels[((i * 32 + y) * 32 + x) * 3 + c] !== spec.cifarPixel(dataset, split, i, y, x, c)) mismatches++;
        }
      }
    }
  }
  expect(mismatches).toBe(0);
}

describe('loadCifar10', () => {
  it('reads the five train files in order and the test file, converting CHW to HWC', async () => {
    const { train, test } = await loadCifar10(spec.CIFAR10_DIR);
    expect([train.size, test.size]).toEqual([10, 3]);
    expect([train.height, train.width, train.channels, train.numClasses]).toEqual([32, 32, 3, 10]);
    expect(Array.from(train.labels)).toEqual(spec.CIFAR10_TRAIN_LABELS);
    expect(Array.from(test.labels)).toEqual(spec.CIFAR10_TEST_LABELS);
    expectCifarPixels(train, 10, spec.TRAIN);
    expectCifarPixels(test, 10, spec.TEST);
    expect(train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(train.normalization).toEqual(CIFAR10_NORMALIZATION);
    expect(train.augmentation).toEqual(CIFAR10_AUGMENTATION);
    expect(test.augmentation).toEqual(NO_AUGMENTATION);
  });

  it('yields normalized batches of the loaded pixels', async () => {
    const { test } = await loadCifar10(spec.CIFAR10_DIR, { normalization: { mean: [0, 0, 0], std: [1, 1, 1] } });
    for await (const batch of test.batches(Int32Array.from([2]), 8)) {
      expect(batch.images.shape).toEqual([1, 32, 32, 3]);
      const v = batch.images.arraySync()[0];
      expect(v[5][7][2] * 255).toBeCloseTo(spec.cifarPixel(10, spec.TEST, 2, 5, 7, 2), 3);
      expect(Array.from(batch.labels.dataSync())).toEqual([spec.CIFAR10_TEST_LABELS[2]]);
      disposeClassificationBatch(batch);
    }
  });

  it('falls back to the built-in class names without batches.meta.txt', async () => {
    const dir = temp.copy(spec.CIFAR10_DIR);
    rmSync(join(dir, 'batches.meta.txt'));
    const { train } = await loadCifar10(dir);
    expect(train.classNames).toEqual(CIFAR10_CLASS_NAMES);
  });

  describe('malformed', () => {
    it('a file that is not a whole number of records', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'data_batch_1.bin');
      truncateSync(path, 1200);
      await expectDatasetError(() => loadCifar10(dir), path, 'expected a multiple of 3073 bytes, found 1200');
    });

    it('a truncated last record', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'test_batch.bin');
      truncateSync(path, 3 * 3073 - 1);
      await expectDatasetError(() => loadCifar10(dir), path, `expected a multiple of 3073 bytes, found ${3 * 3073 - 1}`);
    });

    it('an empty file', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'data_batch_4.bin');
      writeFileSync(path, '');
      await expectDatasetError(() => loadCifar10(dir), path, 'expected at least one 3073-byte record, found an empty file');
    });

    it('a label out of range', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'data_batch_2.bin');
      const bytes = readFileSync(path);
      bytes[3073] = 10;
      writeFileSync(path, bytes);
      await expectDatasetError(() => loadCifar10(dir), path, 'record 1: expected a label in 0..9, found 10');
    });

    it('a missing file', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'data_batch_5.bin');
      rmSync(path);
      await expectDatasetError(() => loadCifar10(dir), path, 'file not found', 'missing');
    });

    it('a missing folder', async () => {
      const dir = join(temp.make(), 'cifar-10-batches-bin');
      await expectDatasetError(() => loadCifar10(dir), dir, 'folder not found', 'missing');
    });

    it('a file in place of the folder', async () => {
      const path = join(spec.CIFAR10_DIR, 'test_batch.bin');
      await expectDatasetError(() => loadCifar10(path), path, 'expected a folder, found a file');
    });

    it('a class-name file of the wrong length', async () => {
      const dir = temp.copy(spec.CIFAR10_DIR);
      const path = join(dir, 'batches.meta.txt');
      writeFileSync(path, CIFAR10_CLASS_NAMES.slice(0, 9).join('\n'));
      await expectDatasetError(() => loadCifar10(dir), path, 'expected 10 class names, found 9');
    });
  });

  it('parseCifarRecords names the given path', () => {
    expect(() => parseCifarRecords(new Uint8Array(3074), 'x.bin', CIFAR10_LAYOUT)).toThrow(
      'x.bin: expected a multiple of 3073 bytes, found 3074',
    );
  });
});

describe('loadCifar100', () => {
  it('reads fine labels by default', async () => {
    const { train, test } = await loadCifar100(spec.CIFAR100_DIR);
    expect([train.size, test.size, train.numClasses]).toEqual([4, 2, 100]);
    expect(Array.from(train.labels)).toEqual(spec.CIFAR100_TRAIN_FINE);
    expect(Array.from(test.labels)).toEqual(spec.CIFAR100_TEST_FINE);
    expectCifarPixels(train, 100, spec.TRAIN);
    expectCifarPixels(test, 100, spec.TEST);
    expect(train.classNames).toEqual(CIFAR100_FINE_CLASS_NAMES);
    expect(train.augmentation).toEqual(CIFAR100_AUGMENTATION);
  });

  it('reads coarse labels on request', async () => {
    const { train, test } = await loadCifar100(spec.CIFAR100_DIR, { label: 'coarse' });
    expect(train.numClasses).toBe(20);
    expect(Array.from(train.labels)).toEqual(spec.CIFAR100_TRAIN_COARSE);
    expect(Array.from(test.labels)).toEqual(spec.CIFAR100_TEST_COARSE);
    expect(train.classNames).toEqual(CIFAR100_COARSE_CLASS_NAMES);
    expectCifarPixels(train, 100, spec.TRAIN);
  });

  describe('malformed', () => {
    it('a file that is not a whole number of 3074-byte records', async () => {
      const dir = temp.copy(spec.CIFAR100_DIR);
      const path = join(dir, 'train.bin');
      truncateSync(path, 3 * 3073);
      await expectDatasetError(() => loadCifar100(dir), path, `expected a multiple of 3074 bytes, found ${3 * 3073}`);
    });

    it('a fine label out of range', async () => {
      const dir = temp.copy(spec.CIFAR100_DIR);
      const path = join(dir, 'test.bin');
      const bytes = readFileSync(path);
      bytes[3074 + 1] = 100;
      writeFileSync(path, bytes);
      await expectDatasetError(() => loadCifar100(dir), path, 'record 1: expected a fine label in 0..99, found 100');
    });

    it('a coarse label out of range, even when training on fine labels', async () => {
      const dir = temp.copy(spec.CIFAR100_DIR);
      const path = join(dir, 'train.bin');
      const bytes = readFileSync(path);
      bytes[0] = 20;
      writeFileSync(path, bytes);
      await expectDatasetError(() => loadCifar100(dir), path, 'record 0: expected a coarse label in 0..19, found 20');
    });

    it('a missing test file', async () => {
      const dir = temp.copy(spec.CIFAR100_DIR);
      const path = join(dir, 'test.bin');
      rmSync(path);
      await expectDatasetError(() => loadCifar100(dir), path, 'file not found', 'missing');
    });

    it('an unknown label option', async () => {
      await expect(loadCifar100(spec.CIFAR100_DIR, { label: 'medium' as 'fine' })).rejects.toThrow(
        "label: expected 'fine' or 'coarse', found 'medium'",
      );
    });
  });
});
