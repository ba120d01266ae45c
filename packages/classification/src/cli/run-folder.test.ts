import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from './main';
import { runMainCaptured } from '../../../../test-support/cli-run';
import { snapshotFolder } from '../../../../test-support/folder-snapshot';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');

const cli = (...argv: string[]) => runMainCaptured(main, argv);

describe('ausam-classify train: the run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-classify-folder-'));
  const backend = process.env.AUSAM_BACKEND;
  beforeAll(() => (process.env.AUSAM_BACKEND = 'wasm'));
  afterAll(() => {
    if (backend === undefined) delete process.env.AUSAM_BACKEND;
    else process.env.AUSAM_BACKEND = backend;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A config training resnet-small on the 10-image CIFAR-10 fixture, 2 batches an epoch. */
  function config(value: unknown = {}, name = 'fixture.json'): string {
    const file = path.join(dir, name);
    const base = {
      name: 'fixture',
      dataset: { kind: 'cifar10', path: path.join(FIXTURES, 'cifar-10-batches-bin') },
      model: { name: 'resnet-small' },
      method: { method: 'sgd' },
      learningRate: { kind: 'constant', lr: 0.01 },
      epochs: 1,
      batchSize: 5,
      seed: 1,
    };
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify({ ...base, ...(value as object) }));
    return file;
  }
  const train = (output: string, ...flags: string[]) => cli('train', '--config', config(), '--output', output, '--no-progress', ...flags);

  it('two concurrent runs into one folder: the second exits non-zero naming the lock holder', async () => {
    const output = path.join(dir, 'concurrent');
    const first = train(output, '--epochs', '200');
    // The second starts while the first holds the folder (its lock file exists, its first epoch runs).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => fs.existsSync(path.join(output, 'run.lock')) && (clearInterval(poll), resolve()), 5);
    });
    const refused = await train(output, '--epochs', '2');
    expect(refused.code).toBe(1);
    // The first one was not disturbed: stop it, it has trained every epoch it recorded.
    process.emit('SIGINT');
    expect((await first).code).toBe(130);
    expect(refused.err).toContain(`ausam-classify: ${output} is in use by another run (process ${process.pid} on ${os.hostname()}, started `);
    const epochs = fs.readFileSync(path.join(output, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).epoch);
    expect(epochs).toEqual(epochs.map((_: number, k: number) => k));
    expect(JSON.parse(fs.readFileSync(path.join(output, 'config.json'), 'utf8')).epochs).toBe(200);
    expect(fs.existsSync(path.join(output, 'run.lock'))).toBe(false);
  }, 120000);

  it('--resume with a changed method, lr or seed is refused, naming the keys, with the folder byte-identical', async () => {
    const output = path.join(dir, 'changed');
    expect((await train(output)).code).toBe(0);
    const before = snapshotFolder(output);
    const cases: Array<[string[], string[]]> = [
      [['--method', 'sam'], ['  - method.method: "sgd" in the run, "sam" now', '  - method.rho: (absent) in the run, 0.05 now']],
      [['--lr', '0.02'], ['  - learningRate.lr: 0.01 in the run, 0.02 now']],
      [['--seed', '7'], ['  - seed: 1 in the run, 7 now']],
    ];
    for (const [flags, lines] of cases) {
      const resumed = await train(output, '--resume', ...flags);
      expect(resumed.code).toBe(1);
      expect(resumed.err).toContain(`ausam-classify: ${output}: cannot resume: the config differs from the one ${path.join(output, 'checkpoint.ausam')} was trained with`);
      for (const line of lines) expect(resumed.err).toContain(line);
      expect(snapshotFolder(output)).toEqual(before);
    }
    // More epochs with the same settings continue the run.
    const extended = await train(output, '--resume', '--epochs', '2');
    expect(extended.code).toBe(0);
    expect(extended.err).toContain('[ausam] resume: epochs 1 → 2; the learning-rate schedule now spans 2 epochs');
  }, 120000);

  it('a leftover temporary file is removed by the next run', async () => {
    const output = path.join(dir, 'leftover');
    expect((await train(output)).code).toBe(0);
    const leftover = path.join(output, 'checkpoint.ausam.tmp-4000001');
    fs.writeFileSync(leftover, 'partial checkpoint');
    const overwritten = await train(output, '--overwrite');
    expect(overwritten.code).toBe(0);
    expect(overwritten.err).toContain(`[ausam] removed ${leftover}, a temporary file left by an interrupted write`);
    expect(fs.existsSync(leftover)).toBe(false);
  }, 120000);

  it('--resume on an empty or missing folder is refused, naming it', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const onEmpty = await train(empty, '--resume');
    expect(onEmpty.code).toBe(1);
    expect(onEmpty.err).toContain(`ausam-classify: ${empty}: nothing to resume (it holds no checkpoint and no config.json)`);
    expect(fs.readdirSync(empty)).toEqual([]);
    const typo = path.join(dir, 'no-such-run');
    const onMissing = await train(typo, '--resume');
    expect(onMissing.err).toContain(`ausam-classify: ${typo}: nothing to resume (the folder does not exist)`);
    expect(fs.existsSync(typo)).toBe(false);
  }, 120000);

  it('--replicas 500 is refused before anything loads', async () => {
    const run = await train(path.join(dir, 'replicas'), '--replicas', '500');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^ausam-classify: --replicas: expected at most \d+ \((this machine has \d+ cores|a batch of 5 samples splits into at most 5 slices)\), found 500$/);
    expect(fs.existsSync(path.join(dir, 'replicas'))).toBe(false);
  });

  it('checks inputs at the door: a config that is not an object, a bad flag value, an output path that is a file', async () => {
    for (const [text, found] of [['[1, 2]', 'an array (2 items)'], ['"train"', 'a string ("train")'], ['null', 'null']]) {
      const run = await cli('train', '--config', config(text, 'shape.json'), '--no-progress');
      expect(run.code).toBe(1);
      expect(run.err).toBe(`ausam-classify: ${path.join(dir, 'shape.json')}: invalid config:\n  - expected a JSON object, found ${found}`);
    }
    const badFlag = await train(path.join(dir, 'bad-flag'), '--lr', '0', '--method', 'adam');
    expect(badFlag.err).toMatch(/^ausam-classify: command line: invalid config:\n {2}- --method: Invalid enum value\. .*, found "adam" \(method\.method\)\n {2}- --lr: Number must be greater than 0, found 0 \(learningRate\.lr\)$/);
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const onFile = await train(file);
    expect(onFile.code).toBe(1);
    expect(onFile.err).toContain(`ausam-classify: output folder ${file}: is a file, expected a folder`);
  }, 120000);

  it('SIGINT stops the run with one line naming the checkpoint --resume continues from, and releases the lock', async () => {
    const output = path.join(dir, 'interrupted');
    const checkpoint = path.join(output, 'checkpoint.ausam');
    // Sends the signal once the first checkpoint exists: the run is then in its second epoch of 30.
    const poll = setInterval(() => {
      if (!fs.existsSync(checkpoint)) return;
      clearInterval(poll);
      process.emit('SIGINT');
    }, 5);
    const stopped = await train(output, '--epochs', '30');
    clearInterval(poll);
    expect(stopped.code).toBe(130);
    const last = stopped.err.split('\n').pop()!;
    expect(last).toMatch(
      new RegExp(`^ausam-classify: stopped by SIGINT during epoch (\\d+)/30: --resume \\(train option resume\\) continues from ${checkpoint.replace(/[.]/g, '\\.')} \\(after epoch \\d+/30\\)$`),
    );
    expect(fs.existsSync(path.join(output, 'run.lock'))).toBe(false);
    const resumed = await train(output, '--resume', '--epochs', '30');
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`[ausam] resumed from ${checkpoint} at epoch`);
  }, 120000);

  it('eval names config.json when it is empty (e.g. left by a full disk)', async () => {
    const output = path.join(dir, 'evaluated');
    expect((await train(output)).code).toBe(0);
    fs.writeFileSync(path.join(output, 'config.json'), '');
    const run = await cli('eval', '--run', output);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`ausam-classify: ${path.join(output, 'config.json')}: could not parse: not valid JSON (`);
    expect(run.err).toContain('the file is empty');
  }, 120000);
});
