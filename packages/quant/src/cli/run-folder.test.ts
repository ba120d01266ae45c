import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from './main';
import { runMainCaptured } from '../../../../test-support/cli-run';
import { snapshotFolder } from '../../../../test-support/folder-snapshot';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');

const cli = (...argv: string[]) => runMainCaptured(main, argv);

describe('ausam-quant train: the run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-quant-folder-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A W4A4 resnet-small config on the 10-image CIFAR-10 fixture, 2 batches an epoch. */
  function configFile(changes: Record<string, unknown> = {}, name = 'config.json'): string {
    const file = path.join(dir, name);
    const config = {
      name: 'folder-test',
      dataset: { name: 'cifar10', dir: path.join(FIXTURES, 'cifar-10-batches-bin') },
      model: 'resnet-small',
      quantization: { weightBits: 4, activationBits: 4 },
      method: { method: 'sgd' },
      learningRate: { kind: 'constant', lr: 0.01 },
      epochs: 1,
      batchSize: 5,
      seed: 0,
      backend: 'wasm',
      ...changes,
    };
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }
  const train = (output: string, config: string, ...flags: string[]) => cli('train', '--config', config, '--output', output, '--no-progress', ...flags);

  it('two concurrent runs into one folder: the second exits non-zero naming the lock holder', async () => {
    const output = path.join(dir, 'concurrent');
    const first = train(output, configFile(), '--epochs', '200');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => fs.existsSync(path.join(output, 'run.lock')) && (clearInterval(poll), resolve()), 5);
    });
    const refused = await train(output, configFile());
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`ausam-quant: ${output} is in use by another run (process ${process.pid} on ${os.hostname()}, started `);
    process.emit('SIGTERM');
    const stopped = await first;
    expect(stopped.code).toBe(143);
    expect(stopped.err.split('\n').pop()).toMatch(/^ausam-quant: stopped by SIGTERM during epoch \d+\/200/);
    expect(fs.existsSync(path.join(output, 'run.lock'))).toBe(false);
  }, 120000);

  it('--resume with changed bits, method, lr or seed is refused, naming the keys, with the folder byte-identical', async () => {
    const output = path.join(dir, 'changed');
    expect((await train(output, configFile())).code).toBe(0);
    const before = snapshotFolder(output);
    const cases: Array<[string, string[], string]> = [
      [configFile(), ['--weight-bits', '2'], '  - quantization.weightBits: 4 in the run, 2 now'],
      [configFile(), ['--act-bits', '8'], '  - quantization.activationBits: 4 in the run, 8 now'],
      [configFile(), ['--method', 'sam'], '  - method.method: "sgd" in the run, "sam" now'],
      [configFile({ learningRate: { kind: 'constant', lr: 0.02 } }, 'lr.json'), [], '  - learningRate.lr: 0.01 in the run, 0.02 now'],
      [configFile({ seed: 3 }, 'seed.json'), [], '  - seed: 0 in the run, 3 now'],
    ];
    for (const [config, flags, line] of cases) {
      const resumed = await train(output, config, '--resume', ...flags);
      expect(resumed.code).toBe(1);
      expect(resumed.err).toContain(`ausam-quant: ${output}: cannot resume: the config differs from the one ${path.join(output, 'checkpoint.ausam')} was trained with`);
      expect(resumed.err).toContain(line);
      expect(snapshotFolder(output)).toEqual(before);
    }
  }, 120000);

  it('a leftover temporary file is removed by the next run; --resume on an empty folder is refused', async () => {
    const output = path.join(dir, 'leftover');
    expect((await train(output, configFile())).code).toBe(0);
    const leftover = path.join(output, 'checkpoint.ausam.tmp-4000001');
    fs.writeFileSync(leftover, 'partial checkpoint');
    const resumed = await train(output, configFile(), '--resume', '--epochs', '2');
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`[ausam] removed ${leftover}, a temporary file left by an interrupted write`);
    expect(fs.existsSync(leftover)).toBe(false);
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const onEmpty = await train(empty, configFile(), '--resume');
    expect(onEmpty.code).toBe(1);
    expect(onEmpty.err.split('\n').pop()).toBe(`ausam-quant: ${empty}: nothing to resume (it holds no checkpoint and no config.json); check the output folder, or start the run without --resume (train option resume)`);
  }, 120000);
});
