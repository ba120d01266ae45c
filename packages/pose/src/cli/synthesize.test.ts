import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadMpiiAnnotations } from '../data/mpii-json';
import { main } from './main';
import { SYNTHESIZE_USAGE, SynthesizeArgumentError, parseSynthesizeArguments, runSynthesize } from './synthesize';

const quiet = () => {};

/** Every file under `dir`, relative path → bytes. */
function filesUnder(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [name, bytes] of filesUnder(dir, relative)) files.set(name, bytes);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}

describe('ausam-pose synthesize arguments', () => {
  it('defaults to 2000 + 200 people at 128 px, seed 0; validation people default to a tenth, rounded up', () => {
    expect(parseSynthesizeArguments(['--out', 'data'])).toEqual({
      outDir: 'data', trainPeople: 2000, validPeople: 200, imageSize: 128, seed: 0, overwrite: false, progress: true,
    });
    expect(parseSynthesizeArguments(['--out', 'd', '--people', '41', '--seed', '7', '--no-progress'])).toMatchObject({ trainPeople: 41, validPeople: 5, seed: 7, progress: false });
    expect(parseSynthesizeArguments(['--out', 'd', '--people', '3', '--valid-people', '2', '--size', '32'])).toMatchObject({ trainPeople: 3, validPeople: 2, imageSize: 32 });
  });

  it('names the flag, what it expected and what it found', () => {
    expect(() => parseSynthesizeArguments(['--people', '4'])).toThrow('--out <dir> is required');
    expect(() => parseSynthesizeArguments(['--out', 'd', '--people', '0'])).toThrow("--people: expected an integer ≥ 1, found '0'");
    expect(() => parseSynthesizeArguments(['--out', 'd', '--people', '2.5'])).toThrow("--people: expected an integer ≥ 1, found '2.5'");
    expect(() => parseSynthesizeArguments(['--out', 'd', '--size', '16'])).toThrow("--size: expected an integer ≥ 32, found '16'");
    expect(() => parseSynthesizeArguments(['--out', 'd', '--seed=-1'])).toThrow("--seed: expected an integer ≥ 0, found '-1'");
    expect(() => parseSynthesizeArguments(['--out', 'd', '--valid-people', 'ten'])).toThrow("--valid-people: expected an integer ≥ 1, found 'ten'");
    expect(() => parseSynthesizeArguments(['--out', 'd', '--persons', '4'])).toThrow(SynthesizeArgumentError);
  });
});

describe('ausam-pose synthesize', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-synthesize-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes byte-identical sets from the same seed and different ones from another seed', async () => {
    const write = (name: string, seed: number) =>
      runSynthesize({ outDir: path.join(dir, name), trainPeople: 4, validPeople: 2, imageSize: 48, seed, overwrite: false, progress: false }, quiet);
    await write('a', 3);
    await write('b', 3);
    await write('c', 4);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => filesUnder(path.join(dir, name)));
    expect([...a.keys()].sort()).toEqual(['.gitignore', 'annot/train.json', 'annot/valid.json', ...[0, 1, 2, 3].map((i) => `images/train_00000${i}.png`), 'images/valid_000000.png', 'images/valid_000001.png'].sort());
    for (const [name, bytes] of a) expect({ name, same: bytes.equals(b.get(name)!) }).toEqual({ name, same: true });
    expect(a.get('images/train_000000.png')!.equals(c.get('images/train_000000.png')!)).toBe(false);
    expect(loadMpiiAnnotations(path.join(dir, 'a', 'annot', 'train.json'))).toHaveLength(4);
  });

  it('refuses a folder holding files unless --overwrite, and --overwrite replaces only a synthetic set', async () => {
    const outDir = path.join(dir, 'data');
    const args = { outDir, trainPeople: 3, validPeople: 1, imageSize: 32, seed: 0, overwrite: false, progress: false };
    await runSynthesize({ ...args, trainPeople: 5 }, quiet);
    await expect(runSynthesize(args, quiet)).rejects.toThrow(`--out ${outDir}: expected an empty or new folder, found 3 entries (.gitignore, annot, images); pass --overwrite`);
    await runSynthesize({ ...args, overwrite: true }, quiet);
    // no image of the larger first set is left behind
    expect(readdirSync(path.join(outDir, 'images')).sort()).toEqual(['train_000000.png', 'train_000001.png', 'train_000002.png', 'valid_000000.png']);
    writeFileSync(path.join(outDir, 'notes.txt'), 'mine');
    await expect(runSynthesize({ ...args, overwrite: true }, quiet)).rejects.toThrow('found other entries too: notes.txt');
    expect(readFileSync(path.join(outDir, 'notes.txt'), 'utf8')).toBe('mine');
    writeFileSync(path.join(dir, 'file'), '');
    await expect(runSynthesize({ ...args, outDir: path.join(dir, 'file') }, quiet)).rejects.toThrow('expected a folder, found a file');
  });

  it('reports progress at every tenth of the images', async () => {
    const lines: string[] = [];
    await runSynthesize({ outDir: path.join(dir, 'p'), trainPeople: 18, validPeople: 2, imageSize: 32, seed: 0, overwrite: false, progress: true }, (line) => lines.push(line));
    expect(lines.map((line) => line.match(/(\d+)\/20 images/)?.[1])).toEqual(['2', '4', '6', '8', '10', '12', '14', '16', '18', '20']);
  });

  it('runs from the CLI: --help, and a set the shipped synthetic config trains on with --data', async () => {
    const out: string[] = [];
    const write = (text: string) => out.push(text) > 0;
    expect(await main(['synthesize', '--help'], write)).toBe(0);
    expect(out.pop()).toBe(`${SYNTHESIZE_USAGE}\n`);
    const data = path.join(dir, 'data');
    mkdirSync(data);
    expect(await main(['synthesize', '--out', data, '--people', '8', '--valid-people', '2', '--no-progress'], write)).toBe(0);
    expect(out.pop()).toMatch(new RegExp(`^wrote 8 train \\+ 2 valid people \\(128 px, seed 0\\) to ${data} in [\\d.]+ s\\n$`));
    const config = path.join(__dirname, '..', '..', 'configs', 'synthetic-cpu.json');
    const code = await main(['train', '--config', config, '--data', data, '--epochs', '1', '--out', path.join(dir, 'run'), '--no-progress'], write);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary.final.valid.pckh).toBeGreaterThanOrEqual(0);
    expect(summary.final.valid.pckh).toBeLessThanOrEqual(100);
  }, 120000);
});
