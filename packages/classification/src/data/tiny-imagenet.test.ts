import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import sharp from 'sharp';
import * as spec from '../../../../tools/fixtures/classification-fixture-spec';
import { NO_AUGMENTATION, TINY_IMAGENET_AUGMENTATION } from './augment';
import type { InMemoryImageDataset } from './image-dataset';
import { expectDatasetError, TempDirs } from './test-utils';
import { loadTinyImageNet, type TinyImageNetLoadOptions, type TinyImageNetSplitName } from './tiny-imagenet';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const quiet: TinyImageNetLoadOptions = { onProgress: () => undefined };

/** Max |decoded - written| over the 24×24 inner part of each quadrant (JPEG is lossy). */
function quadrantError(ds: InMemoryImageDataset, i: number, split: number, label: number, n: number): number {
  const colours = spec.tinyQuadrants(split, label, n);
  let worst = 0;
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      if (y % 32 < 4 || y % 32 >= 28 || x % 32 < 4 || x % 32 >= 28) continue;
      const colour = colours[(y < 32 ? 0 : 2) + (x < 32 ? 0 : 1)];
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(ds.pixels[((i * 64 + y) * 64 + x) * 3 + c] - colour[c]));
    }
  }
  return worst;
}

function trainOrder(): { label: number; n: number }[] {
  const numbers = [...spec.TINY_TRAIN_NUMBERS].sort((a, b) => a - b);
  return spec.TINY_WNIDS.flatMap((_, label) => numbers.map((n) => ({ label, n })));
}

describe('loadTinyImageNet', () => {
  it('decodes train (class by class, natural file order) and val, then reuses the cache', async () => {
    const root = temp.copy(spec.TINY_IMAGENET_DIR);
    const progress: [TinyImageNetSplitName, number, number][] = [];
    const first = await loadTinyImageNet(root, { progressEvery: 4, onProgress: (...args) => progress.push(args) });
    const { train, test } = first;
    expect(first.wnids).toEqual(spec.TINY_WNIDS);
    expect(first.cache).toEqual({ train: 'written', test: 'written' });
    expect([train.size, test.size, train.numClasses]).toEqual([9, 3, 3]);
    expect([train.height, train.width, train.channels]).toEqual([64, 64, 3]);
    const order = trainOrder();
    expect(Array.from(train.labels)).toEqual(order.map((e) => e.label));
    order.forEach(({ label, n }, i) => expect(quadrantError(train, i, spec.TRAIN, label, n)).toBeLessThanOrEqual(3));
    expect(Array.from(test.labels)).toEqual(spec.TINY_VAL_LABELS);
    spec.TINY_VAL_LABELS.forEach((label, i) => expect(quadrantError(test, i, spec.TEST, label, i)).toBeLessThanOrEqual(3));
    expect(train.classNames).toEqual(spec.TINY_WNIDS.map((w) => spec.TINY_WORDS[w]));
    expect(train.augmentation).toEqual(TINY_IMAGENET_AUGMENTATION);
    expect(test.augmentation).toEqual(NO_AUGMENTATION);
    expect(progress).toEqual([
      ['train', 4, 9],
      ['train', 8, 9],
      ['train', 9, 9],
      ['val', 3, 3],
    ]);

    const cacheDir = join(root, '.ausam-cache');
    expect(readFileSync(join(cacheDir, 'train.u8')).length).toBe(9 * 64 * 64 * 3);
    const header = JSON.parse(readFileSync(join(cacheDir, 'val.json'), 'utf8'));
    expect(header).toMatchObject({ split: 'val', count: 3, height: 64, width: 64, channels: 3, version: 1 });

    const calls: unknown[] = [];
    const second = await loadTinyImageNet(root, { onProgress: (...args) => calls.push(args) });
    expect(second.cache).toEqual({ train: 'hit', test: 'hit' });
    expect(calls).toEqual([]);
    expect(Buffer.from(second.train.pixels).equals(Buffer.from(train.pixels))).toBe(true);
    expect(Array.from(second.test.labels)).toEqual(Array.from(test.labels));
  });

  it('expands grayscale JPEGs to RGB', async () => {
    const root = temp.copy(spec.TINY_IMAGENET_DIR);
    const { train } = await loadTinyImageNet(root, { ...quiet, cacheDir: false });
    const { label, n } = spec.TINY_GRAYSCALE_TRAIN;
    const i = trainOrder().findIndex((e) => e.label === label && e.n === n);
    const px = train.pixels.subarray(i * 64 * 64 * 3, (i + 1) * 64 * 64 * 3);
    let coloured = 0;
    for (let p = 0; p < px.length; p += 3) if (px[p] !== px[p + 1] || px[p] !== px[p + 2]) coloured++;
    expect(coloured).toBe(0);
    expect(quadrantError(train, i, spec.TRAIN, label, n)).toBeLessThanOrEqual(3);
  });

  it('decodes again when the image list changed or the cache is damaged', async () => {
    const root = temp.copy(spec.TINY_IMAGENET_DIR);
    await loadTinyImageNet(root, quiet);
    const images = join(root, 'train', spec.TINY_WNIDS[0], 'images');
    copyFileSync(join(images, `${spec.TINY_WNIDS[0]}_0.JPEG`), join(images, `${spec.TINY_WNIDS[0]}_1.JPEG`));
    const changed = await loadTinyImageNet(root, quiet);
    expect(changed.cache).toEqual({ train: 'written', test: 'hit' });
    expect(changed.train.size).toBe(10);

    truncateSync(join(root, '.ausam-cache', 'val.u8'), 100);
    const repaired = await loadTinyImageNet(root, quiet);
    expect(repaired.cache).toEqual({ train: 'hit', test: 'written' });
    expect(Buffer.from(repaired.test.pixels).equals(Buffer.from(changed.test.pixels))).toBe(true);
  });

  it('can run without a cache, or with one it cannot write', async () => {
    const root = temp.copy(spec.TINY_IMAGENET_DIR);
    const off = await loadTinyImageNet(root, { ...quiet, cacheDir: false });
    expect(off.cache).toEqual({ train: 'disabled', test: 'disabled' });
    expect(existsSync(join(root, '.ausam-cache'))).toBe(false);

    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const blocked = await loadTinyImageNet(root, { ...quiet, cacheDir: join(root, 'wnids.txt', 'cache') });
      expect(blocked.cache).toEqual({ train: 'unwritable', test: 'unwritable' });
      expect(String(stderr.mock.calls[0][0])).toMatch(/^tiny-imagenet: cannot write the cache in .*wnids\.txt\/cache/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('prints progress to stderr by default on long decodes', async () => {
    const root = temp.copy(spec.TINY_IMAGENET_DIR);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await loadTinyImageNet(root, { cacheDir: false, progressEvery: 5 });
      const lines = stderr.mock.calls.map((call) => String(call[0]));
      expect(lines).toEqual([
        `tiny-imagenet train: decoding 9 images from ${root}\n`,
        'tiny-imagenet train: decoded 5/9 images\n',
        'tiny-imagenet train: decoded 9/9 images\n',
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  describe('malformed', () => {
    const load = (root: string) => () => loadTinyImageNet(root, { ...quiet, cacheDir: false });

    it('a missing root folder', async () => {
      const root = join(temp.make(), 'tiny-imagenet-200');
      await expectDatasetError(load(root), root, 'folder not found', 'missing');
    });

    it('a missing wnids.txt', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      rmSync(join(root, 'wnids.txt'));
      await expectDatasetError(load(root), join(root, 'wnids.txt'), 'file not found', 'missing');
    });

    it('an empty or duplicated wnids.txt', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'wnids.txt');
      writeFileSync(path, '\n\n');
      await expectDatasetError(load(root), path, 'expected at least one wnid, found none');
      writeFileSync(path, `${spec.TINY_WNIDS[0]}\n${spec.TINY_WNIDS[1]}\n${spec.TINY_WNIDS[0]}\n`);
      await expectDatasetError(load(root), path, `line 3: expected unique wnids, found ${spec.TINY_WNIDS[0]} twice`);
    });

    it('a missing class folder', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      rmSync(join(root, 'train', spec.TINY_WNIDS[2]), { recursive: true });
      const path = join(root, 'train', spec.TINY_WNIDS[2], 'images');
      await expectDatasetError(load(root), path, 'folder not found', 'missing');
    });

    it('a missing train folder', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      rmSync(join(root, 'train'), { recursive: true });
      await expectDatasetError(load(root), join(root, 'train'), 'folder not found', 'missing');
    });

    it('a class folder without images', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const images = join(root, 'train', spec.TINY_WNIDS[1], 'images');
      rmSync(images, { recursive: true });
      mkdirSync(images);
      await expectDatasetError(load(root), images, 'expected at least one JPEG image, found none');
    });

    it('a missing val_annotations.txt', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'val', 'val_annotations.txt');
      rmSync(path);
      await expectDatasetError(load(root), path, 'file not found', 'missing');
    });

    it('a val image without an annotation entry', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'val', 'val_annotations.txt');
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      writeFileSync(path, `${lines.slice(0, 2).join('\n')}\n`);
      await expectDatasetError(load(root), path, `expected an entry for ${join('val', 'images', 'val_2.JPEG')}, found none`);
    });

    it('an annotation entry without its image', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      rmSync(join(root, 'val', 'images', 'val_1.JPEG'));
      await expectDatasetError(
        load(root),
        join(root, 'val', 'images', 'val_1.JPEG'),
        `file not found (listed on line 2 of ${join(root, 'val', 'val_annotations.txt')})`,
        'missing',
      );
    });

    it('annotation lines with an unknown wnid, too few fields or a duplicate', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'val', 'val_annotations.txt');
      const original = readFileSync(path, 'utf8');
      writeFileSync(path, `${original}val_9.JPEG\tn99999999\t0\t0\t63\t63\n`);
      await expectDatasetError(load(root), path, 'line 4: expected a wnid from wnids.txt, found n99999999');
      writeFileSync(path, `val_0.JPEG ${spec.TINY_WNIDS[0]}\n`);
      await expectDatasetError(
        load(root),
        path,
        `line 1: expected "<file>\\t<wnid>\\t<x0>\\t<y0>\\t<x1>\\t<y1>", found "val_0.JPEG ${spec.TINY_WNIDS[0]}"`,
      );
      writeFileSync(path, `${original}val_0.JPEG\t${spec.TINY_WNIDS[1]}\t0\t0\t63\t63\n`);
      await expectDatasetError(load(root), path, 'line 4: expected one entry per image, found val_0.JPEG again (first on line 1)');
    });

    it('a corrupt JPEG', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'train', spec.TINY_WNIDS[0], 'images', `${spec.TINY_WNIDS[0]}_2.JPEG`);
      writeFileSync(path, 'not a jpeg at all');
      await expectDatasetError(load(root), path, /^.*: expected a decodable JPEG image, found one that fails to decode \(.+\)$/s);
    });

    it('an image of the wrong size', async () => {
      const root = temp.copy(spec.TINY_IMAGENET_DIR);
      const path = join(root, 'val', 'images', 'val_0.JPEG');
      writeFileSync(path, await sharp({ create: { width: 32, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer());
      await expectDatasetError(load(root), path, 'expected a 64×64 RGB image, found 32×48 with 3 channels');
    });
  });
});
