import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import { snapshotFolder } from '../../../../test-support/folder-snapshot';

const fixtures = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');

describe('ausam-pose train: the run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-pose-folder-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A config file training hrnet-small on the 6 synthetic MPII people, 2 batches an epoch. */
  function configFile(changes: Record<string, unknown> = {}, name = 'config.json'): string {
    const file = path.join(dir, name);
    const config = {
      name: 'folder-test',
      dataset: { kind: 'mpii', root: fixtures, trainAnnotations: 'annot/train.json', validAnnotations: 'annot/valid.json', trainImages: 'images', validImages: 'images' },
      inputSize: { width: 64, height: 64 },
      model: { preset: 'hrnet-small' },
      sigma: 1,
      method: { method: 'sgd', base: { kind: 'adamw' } },
      learningRate: { kind: 'constant', lr: 0.001 },
      epochs: 1,
      batchSize: 3,
      evalBatchSize: 3,
      seed: 0,
      backend: 'wasm',
      ...changes,
    };
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }
  const quiet = () => true;
  const train = (output: string, config: string, ...flags: string[]) => main(['train', '--config', config, '--out', output, '--no-progress', ...flags], quiet);

  it('two concurrent runs into one folder: the second fails naming the lock holder', async () => {
    const output = path.join(dir, 'concurrent');
    const first = train(output, configFile(), '--epochs', '200');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => fs.existsSync(path.join(output, 'run.lock')) && (clearInterval(poll), resolve()), 5);
    });
    await expect(train(output, configFile())).rejects.toThrow(`${output} is in use by another run (process ${process.pid} on ${os.hostname()}, started `);
    process.emit('SIGINT');
    await expect(first).rejects.toThrow(new RegExp(`^stopped by SIGINT during epoch \\d+/200`));
    expect(fs.existsSync(path.join(output, 'run.lock'))).toBe(false);
  }, 120000);

  it('--resume with a changed method, lr or seed is refused, naming the keys, with the folder byte-identical', async () => {
    const output = path.join(dir, 'changed');
    expect(await train(output, configFile())).toBe(0);
    const before = snapshotFolder(output);
    const cases: Array<[string, string[], string]> = [
      [configFile(), ['--method', 'sam'], '  - method.method: "sgd" in the run, "sam" now'],
      [configFile({ learningRate: { kind: 'constant', lr: 0.002 } }, 'lr.json'), [], '  - learningRate.lr: 0.001 in the run, 0.002 now'],
      [configFile({ seed: 3 }, 'seed.json'), [], '  - seed: 0 in the run, 3 now'],
    ];
    for (const [config, flags, line] of cases) {
      await expect(train(output, config, '--resume', ...flags)).rejects.toThrow(line);
      expect(snapshotFolder(output)).toEqual(before);
    }
  }, 120000);

  it('a leftover temporary file is removed by the next run; --resume on an empty folder is refused', async () => {
    const output = path.join(dir, 'leftover');
    expect(await train(output, configFile())).toBe(0);
    const leftover = path.join(output, 'checkpoint.ausam.tmp-4000001');
    fs.writeFileSync(leftover, 'partial checkpoint');
    expect(await train(output, configFile(), '--resume', '--epochs', '2')).toBe(0);
    expect(fs.existsSync(leftover)).toBe(false);
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    await expect(train(empty, configFile(), '--resume')).rejects.toThrow(`${empty}: nothing to resume (it holds no checkpoint and no config.json)`);
  }, 120000);

  it('--replicas 500 and an empty annotation list are refused', async () => {
    await expect(train(path.join(dir, 'replicas'), configFile(), '--replicas', '500')).rejects.toThrow(/^--replicas: expected at most \d+ \(.*\), found 500$/);
    const annotations = path.join(dir, 'annot');
    fs.mkdirSync(annotations, { recursive: true });
    fs.writeFileSync(path.join(annotations, 'train.json'), '[]');
    const config = configFile({ dataset: { kind: 'mpii', root: fixtures, trainAnnotations: path.relative(fixtures, path.join(annotations, 'train.json')), validAnnotations: 'annot/valid.json', trainImages: 'images', validImages: 'images' } }, 'empty.json');
    await expect(train(path.join(dir, 'no-people'), config)).rejects.toThrow(`${path.join(annotations, 'train.json')}: expected at least one annotated person to train on, found none`);
    expect(fs.existsSync(path.join(dir, 'no-people'))).toBe(false);
  }, 120000);
});
