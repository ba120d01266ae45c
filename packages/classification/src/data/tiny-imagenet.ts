import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import { cpus } from 'os';
import { join, relative } from 'path';
import type SharpType from 'sharp';
import { TINY_IMAGENET_AUGMENTATION } from './augment';
import { DatasetFormatError } from './errors';
import { nonEmptyLines, readDatasetFile, readOptionalText, requireDirectory } from './files';
import { InMemoryImageDataset, type ImageDatasetSplits, type ImageLoadOptions } from './image-dataset';
import { TINY_IMAGENET_NORMALIZATION } from './statistics';

/** Tiny ImageNet images are 64×64 RGB. */
export const TINY_IMAGENET_IMAGE_SIZE = 64;
/** Version of the decoded-pixel cache format; a cache of another version is ignored. */
export const TINY_IMAGENET_CACHE_VERSION = 1;
const CACHE_FORMAT = 'ausam-tiny-imagenet-u8-hwc';

/** A split of Tiny ImageNet: `train` (from `train/<wnid>/images`) or `val` (the test split). */
export type TinyImageNetSplitName = 'train' | 'val';

/** What happened to the decoded-pixel cache of a split. */
export type TinyImageNetCacheStatus = 'hit' | 'written' | 'disabled' | 'unwritable';

/** Options of {@link loadTinyImageNet}. */
export interface TinyImageNetLoadOptions extends ImageLoadOptions {
  /** Folder of the decoded-pixel cache, default `<root>/.ausam-cache`; `false` disables it. */
  readonly cacheDir?: string | false;
  /** Parallel JPEG decodes (sharp runs them on the libuv pool). Default: number of CPUs, at least 2. */
  readonly concurrency?: number;
  /** Report progress every this many decoded images. Default 5000. */
  readonly progressEvery?: number;
  /**
   * Called every `progressEvery` images and at the end of a split's decode. Default: prints a line
   * to stderr (only for splits of at least `progressEvery` images).
   */
  readonly onProgress?: (split: TinyImageNetSplitName, decoded: number, total: number) => void;
}

/** Tiny ImageNet's splits (`test` is the labelled `val` folder) and how the cache was used. */
export interface TinyImageNetSplits extends ImageDatasetSplits {
  /** The class ids, in label order (from `wnids.txt`). */
  readonly wnids: readonly string[];
  readonly cache: { readonly train: TinyImageNetCacheStatus; readonly test: TinyImageNetCacheStatus };
}

/** One image to decode and its label. */
interface Entry {
  readonly path: string;
  readonly label: number;
}

/** Sort key that orders embedded numbers numerically (`img_2` before `img_10`). */
function naturalKey(name: string): string {
  return name.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

function naturalSort(names: string[]): string[] {
  return names
    .map((name) => [naturalKey(name), name] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([, name]) => name);
}

const JPEG_NAME = /\.jpe?g$/i;

/** Reads `wnids.txt`: one class id per line, no duplicates. */
export async function readWnids(root: string): Promise<string[]> {
  const path = join(root, 'wnids.txt');
  const lines = new TextDecoder().decode(await readDatasetFile(path)).split(/\r?\n/);
  const wnids: string[] = [];
  const seen = new Set<string>();
  lines.forEach((raw, i) => {
    const wnid = raw.trim();
    if (wnid.length === 0) return;
    if (/\s/.test(wnid)) throw new DatasetFormatError(path, `line ${i + 1}: expected one wnid, found "${wnid}"`);
    if (seen.has(wnid)) throw new DatasetFormatError(path, `line ${i + 1}: expected unique wnids, found ${wnid} twice`);
    seen.add(wnid);
    wnids.push(wnid);
  });
  if (wnids.length === 0) throw new DatasetFormatError(path, 'expected at least one wnid, found none');
  return wnids;
}

/** Class names from the optional `words.txt` (`<wnid>\t<names>`), falling back to the wnid. */
export async function readWords(root: string, wnids: readonly string[]): Promise<string[]> {
  const text = await readOptionalText(join(root, 'words.txt'));
  const words = new Map<string, string>();
  if (text !== undefined) {
    for (const line of nonEmptyLines(text)) {
      const tab = line.indexOf('\t');
      if (tab > 0) words.set(line.slice(0, tab), line.slice(tab + 1).trim());
    }
  }
  return wnids.map((wnid) => words.get(wnid) ?? wnid);
}

async function listJpegs(dir: string): Promise<string[]> {
  await requireDirectory(dir);
  const names = naturalSort((await fs.readdir(dir)).filter((name) => JPEG_NAME.test(name)));
  if (names.length === 0) throw new DatasetFormatError(dir, 'expected at least one JPEG image, found none');
  return names;
}

/** The train images, `train/<wnid>/images/*.JPEG`, class by class in `wnids.txt` order. */
export async function listTinyImageNetTrain(root: string, wnids: readonly string[]): Promise<Entry[]> {
  await requireDirectory(join(root, 'train'));
  const entries: Entry[] = [];
  for (let label = 0; label < wnids.length; label++) {
    const dir = join(root, 'train', wnids[label], 'images');
    for (const name of await listJpegs(dir)) entries.push({ path: join(dir, name), label });
  }
  return entries;
}

/**
 * The val images, `val/images/*.JPEG` in natural name order, labelled by `val/val_annotations.txt`
 * (`<file>\t<wnid>\t<x0>\t<y0>\t<x1>\t<y1>`). Every image needs exactly one entry and every entry an image.
 */
export async function listTinyImageNetVal(root: string, wnids: readonly string[]): Promise<Entry[]> {
  await requireDirectory(join(root, 'val'));
  const annotationsPath = join(root, 'val', 'val_annotations.txt');
  const imagesDir = join(root, 'val', 'images');
  const lines = new TextDecoder().decode(await readDatasetFile(annotationsPath)).split(/\r?\n/);
  const labelOf = new Map(wnids.map((wnid, i) => [wnid, i]));
  const annotations = new Map<string, { label: number; line: number }>();
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (line.length === 0) return;
    const fields = line.split('\t');
    if (fields.length < 2 || fields[0] === '' || fields[1] === '' || (fields.length > 2 && fields.length !== 6)) {
      throw new DatasetFormatError(
        annotationsPath,
        `line ${i + 1}: expected "<file>\\t<wnid>\\t<x0>\\t<y0>\\t<x1>\\t<y1>", found "${line}"`,
      );
    }
    const [file, wnid] = fields;
    const label = labelOf.get(wnid);
    if (label === undefined) throw new DatasetFormatError(annotationsPath, `line ${i + 1}: expected a wnid from wnids.txt, found ${wnid}`);
    const previous = annotations.get(file);
    if (previous !== undefined) {
      throw new DatasetFormatError(annotationsPath, `line ${i + 1}: expected one entry per image, found ${file} again (first on line ${previous.line})`);
    }
    annotations.set(file, { label, line: i + 1 });
  });
  const names = await listJpegs(imagesDir);
  const entries: Entry[] = [];
  for (const name of names) {
    const annotation = annotations.get(name);
    if (annotation === undefined) {
      throw new DatasetFormatError(annotationsPath, `expected an entry for ${join('val', 'images', name)}, found none`);
    }
    entries.push({ path: join(imagesDir, name), label: annotation.label });
    annotations.delete(name);
  }
  for (const [file, { line }] of annotations) {
    throw new DatasetFormatError(join(imagesDir, file), `file not found (listed on line ${line} of ${annotationsPath})`, 'missing');
  }
  return entries;
}

let sharpModule: Promise<typeof SharpType> | undefined;
function loadSharp(): Promise<typeof SharpType> {
  // Imported on first use so that importing the data module does not load libvips.
  sharpModule ??= import('sharp').then((module) => module.default);
  return sharpModule;
}

/** Decodes one JPEG to `size`×`size`×3 bytes (grayscale images are expanded to RGB). */
export async function decodeImage(path: string, size: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let result: { data: Buffer; info: SharpType.OutputInfo };
  try {
    result = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = (error as Error).message;
    if (/Input file is missing/i.test(message)) throw new DatasetFormatError(path, 'file not found', 'missing');
    throw new DatasetFormatError(path, `expected a decodable JPEG image, found one that fails to decode (${message})`);
  }
  const { data, info } = result;
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new DatasetFormatError(path, `expected a ${size}×${size} RGB image, found ${info.width}×${info.height} with ${info.channels} channels`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

interface CacheHeader {
  readonly format: string;
  readonly version: number;
  readonly split: TinyImageNetSplitName;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly fingerprint: string;
}

function fingerprint(root: string, entries: readonly Entry[], size: number): string {
  const hash = createHash('sha256');
  hash.update(`${CACHE_FORMAT} v${TINY_IMAGENET_CACHE_VERSION} ${size}\n`);
  for (const entry of entries) hash.update(`${relative(root, entry.path)}\t${entry.label}\n`);
  return hash.digest('hex');
}

/** Reads `bytes.length` bytes of `path` into `bytes`; false if the file is not exactly that long. */
async function readExactly(path: string, bytes: Uint8Array): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    if ((await handle.stat()).size !== bytes.length) return false;
    const chunk = 1 << 26;
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesRead } = await handle.read(bytes, offset, Math.min(chunk, bytes.length - offset), offset);
      if (bytesRead === 0) return false;
      offset += bytesRead;
    }
    return true;
  } finally {
    await handle.close();
  }
}

async function readCache(cacheDir: string, expected: CacheHeader, pixels: Uint8Array): Promise<boolean> {
  try {
    const header = JSON.parse(await fs.readFile(join(cacheDir, `${expected.split}.json`), 'utf8')) as Partial<CacheHeader>;
    const matches = (Object.keys(expected) as (keyof CacheHeader)[]).every((key) => header[key] === expected[key]);
    return matches && (await readExactly(join(cacheDir, `${expected.split}.u8`), pixels));
  } catch {
    return false; // absent or unreadable cache: decode again
  }
}

async function writeCache(cacheDir: string, header: CacheHeader, pixels: Uint8Array): Promise<TinyImageNetCacheStatus> {
  const base = join(cacheDir, header.split);
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.mkdir(cacheDir, { recursive: true });
    // Pixels first, header last: a header only exists next to complete pixels.
    await fs.rm(`${base}.json`, { force: true });
    await fs.writeFile(`${base}.u8${tmp}`, pixels);
    await fs.rename(`${base}.u8${tmp}`, `${base}.u8`);
    await fs.writeFile(`${base}.json${tmp}`, `${JSON.stringify(header, null, 2)}\n`);
    await fs.rename(`${base}.json${tmp}`, `${base}.json`);
    return 'written';
  } catch (error) {
    await fs.rm(`${base}.u8${tmp}`, { force: true }).catch(() => undefined);
    await fs.rm(`${base}.json${tmp}`, { force: true }).catch(() => undefined);
    process.stderr.write(`tiny-imagenet: cannot write the cache in ${cacheDir} (${(error as Error).message}); continuing without it\n`);
    return 'unwritable';
  }
}

async function decodeAll(
  entries: readonly Entry[],
  size: number,
  pixels: Uint8Array,
  concurrency: number,
  report: (decoded: number) => void,
): Promise<void> {
  const imageBytes = size * size * 3;
  let next = 0;
  let decoded = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      pixels.set(await decodeImage(entries[i].path, size), i * imageBytes);
      decoded++;
      report(decoded);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
}

async function loadSplit(
  root: string,
  split: TinyImageNetSplitName,
  entries: readonly Entry[],
  options: TinyImageNetLoadOptions,
): Promise<{ pixels: Uint8Array; labels: Int32Array; cache: TinyImageNetCacheStatus }> {
  const size = TINY_IMAGENET_IMAGE_SIZE;
  const pixels = new Uint8Array(entries.length * size * size * 3);
  const labels = Int32Array.from(entries, (entry) => entry.label);
  const cacheDir = options.cacheDir === undefined ? join(root, '.ausam-cache') : options.cacheDir;
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    version: TINY_IMAGENET_CACHE_VERSION,
    split,
    count: entries.length,
    height: size,
    width: size,
    channels: 3,
    fingerprint: fingerprint(root, entries, size),
  };
  if (cacheDir !== false && (await readCache(cacheDir, header, pixels))) return { pixels, labels, cache: 'hit' };

  const every = options.progressEvery ?? 5000;
  if (!(Number.isInteger(every) && every > 0)) throw new RangeError(`progressEvery: expected a positive integer, found ${every}`);
  const onProgress =
    options.onProgress ??
    ((s: TinyImageNetSplitName, decoded: number, total: number) => {
      if (total >= every) process.stderr.write(`tiny-imagenet ${s}: decoded ${decoded}/${total} images\n`);
    });
  if (options.onProgress === undefined && entries.length >= every) {
    process.stderr.write(
      `tiny-imagenet ${split}: decoding ${entries.length} images from ${root}` +
        (cacheDir === false ? '\n' : ` (cached afterwards in ${cacheDir})\n`),
    );
  }
  const concurrency = options.concurrency ?? Math.max(2, cpus().length);
  await decodeAll(entries, size, pixels, concurrency, (decoded) => {
    if (decoded % every === 0 || decoded === entries.length) onProgress(split, decoded, entries.length);
  });
  const cache = cacheDir === false ? 'disabled' : await writeCache(cacheDir, header, pixels);
  return { pixels, labels, cache };
}

/**
 * Loads Tiny ImageNet (200 classes of 64×64 RGB JPEGs) from `root` (the `tiny-imagenet-200`
 * folder): train from `train/<wnid>/images`, test from the labelled `val` folder. Labels follow
 * `wnids.txt`; class names come from `words.txt` when present. The first load decodes every JPEG
 * with sharp (printing progress to stderr) and caches the pixels in `<root>/.ausam-cache/{train,val}.u8`
 * with a JSON header; later loads reuse the cache while it matches the image list.
 *
 * @throws DatasetFormatError when a file or folder is missing or malformed.
 */
export async function loadTinyImageNet(root: string, options: TinyImageNetLoadOptions = {}): Promise<TinyImageNetSplits> {
  await requireDirectory(root);
  const wnids = await readWnids(root);
  const classNames = await readWords(root, wnids);
  const trainEntries = await listTinyImageNetTrain(root, wnids);
  const valEntries = await listTinyImageNetVal(root, wnids);
  const train = await loadSplit(root, 'train', trainEntries, options);
  const test = await loadSplit(root, 'val', valEntries, options);
  const common = {
    height: TINY_IMAGENET_IMAGE_SIZE,
    width: TINY_IMAGENET_IMAGE_SIZE,
    channels: 3,
    numClasses: wnids.length,
    classNames,
    normalization: options.normalization ?? TINY_IMAGENET_NORMALIZATION,
  };
  return {
    train: new InMemoryImageDataset({
      ...common,
      pixels: train.pixels,
      labels: train.labels,
      augmentation: options.augmentation ?? TINY_IMAGENET_AUGMENTATION,
    }),
    test: new InMemoryImageDataset({ ...common, pixels: test.pixels, labels: test.labels }),
    wnids,
    cache: { train: train.cache, test: test.cache },
  };
}
