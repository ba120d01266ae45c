import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mergeResults } from './merge';
import { fakeRun as run } from './fake-run';
import type { MethodRun } from './run-methods';

const description = 'two-moons MLP';

function writeResult(dir: string, name: string, runs: MethodRun[], suite = 'two-moons'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ suite, quick: false, description, command: `bench ${name}`, runs }));
  return file;
}

describe('mergeResults', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-merge-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pools the seeds of several files into one row per method', () => {
    const a = writeResult(dir, 'a.json', [run('sgd', 1, 0.9, 10), run('sam', 1, 0.8, 20)]);
    const b = writeResult(dir, 'b.json', [run('sgd', 2, 0.7, 30), run('sam', 2, 0.8, 20)]);
    const lines = mergeResults([a, b]).split('\n');
    expect(lines).toContain('Commands: `bench a.json`; `bench b.json`.');
    // sgd: accuracy mean 80, sample std 14.14; 20 s against SAM's 20 s.
    expect(lines).toContain('| sgd | 80.00 ± 14.14 | 2 | +0.00 ± 14.14 (2) | — | — | 0.5000 | 20.0 | 67 | 1.000 | 0.0% | 50.0% | 0.0% |');
    expect(lines).toContain('| sam | 80.00 ± 0.00 | 2 | — | — | — | 0.5000 | 20.0 | 50 | 1.000 | 0.0% | 100.0% | 0.0% |');
  });

  it('refuses files of different suites and a run present twice', () => {
    const a = writeResult(dir, 'a.json', [run('sgd', 1, 0.9, 10)]);
    const other = writeResult(dir, 'c.json', [run('sgd', 2, 0.9, 10)], 'pose');
    expect(() => mergeResults([a, other])).toThrow(/c\.json is 'pose'.*expected the setting of .*a\.json: 'two-moons'/);
    const again = writeResult(dir, 'd.json', [run('sgd', 1, 0.9, 10)]);
    expect(() => mergeResults([a, again])).toThrow('sgd seed 1 appears in more than one file');
  });

  it('names a missing file', () => {
    const a = writeResult(dir, 'a.json', [run('sgd', 1, 0.9, 10)]);
    expect(() => mergeResults([a, path.join(dir, 'missing.json')])).toThrow(/missing\.json does not exist/);
  });
});

describe('mergeResults on a partial result', () => {
  it('describes the suite itself and says no command was recorded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-merge-'));
    const file = path.join(dir, 'x.partial.json');
    fs.writeFileSync(file, JSON.stringify({ suite: 'two-moons', quick: false, rows: [], runs: [run('sam', 1, 0.8, 20)] }));
    const lines = mergeResults([file]).split('\n');
    expect(lines).not.toContain('undefined');
    expect(lines).toContain(`Commands: (${file}: a partial result, no command recorded).`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pools a partial result with a finished one of the same suite, described by the finished one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-merge-'));
    const partial = path.join(dir, 'x.partial.json');
    fs.writeFileSync(partial, JSON.stringify({ suite: 'two-moons', quick: false, runs: [run('sam', 1, 0.8, 20)] }));
    const finished = writeResult(dir, 'b.json', [run('sam', 2, 0.6, 20)]);
    const lines = mergeResults([partial, finished]).split('\n');
    expect(lines).toContain(description);
    expect(lines).toContain('| sam | 70.00 ± 14.14 | 2 | — | — | — | 0.5000 | 20.0 | 50 | 1.000 | 0.0% | 100.0% | 0.0% |');
    const pose = writeResult(dir, 'c.json', [run('sam', 3, 0.6, 20)], 'pose');
    expect(() => mergeResults([partial, pose])).toThrow(/x\.partial\.json is 'two-moons' \(a partial result\); expected the setting of .*c\.json: 'pose'/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
