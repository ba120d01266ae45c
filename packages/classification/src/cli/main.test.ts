import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from './main';
import { EVAL_USAGE, TRAIN_USAGE, USAGE } from './usage';
import { runMainCaptured } from '../../../../test-support/cli-run';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');
const packageVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

const cli = (...argv: string[]) => runMainCaptured(main, argv);

/** A config training resnet-small on the 10-image CIFAR-10 fixture. */
function fixtureConfig(dir: string): string {
  const file = path.join(dir, 'fixture.json');
  const config = {
    name: 'fixture',
    dataset: { kind: 'cifar10', path: path.join(FIXTURES, 'cifar-10-batches-bin') },
    model: { name: 'resnet-small' },
    method: { method: 'sgd' },
    learningRate: { kind: 'constant', lr: 0.01 },
    epochs: 1,
    batchSize: 5,
    seed: 1,
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('ausam-classify help and version', () => {
  it('--help and -h print the usage and exit 0; so does each command', async () => {
    expect(await cli('--help')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli('-h')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli('train', '--help')).toEqual({ code: 0, out: TRAIN_USAGE, err: '' });
    expect(await cli('eval', '-h')).toEqual({ code: 0, out: EVAL_USAGE, err: '' });
    expect(TRAIN_USAGE).toContain('--overwrite');
  });

  it('--version prints the package version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: packageVersion, err: '' });
  });

  it('no command prints the usage on stderr with exit code 2; an unknown one fails with 1', async () => {
    expect(await cli()).toEqual({ code: 2, out: '', err: USAGE });
    const unknown = await cli('fit');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^ausam-classify: expected a command 'train', 'eval' or 'export', found 'fit'/);
  });
});

describe('ausam-classify train', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-classify-main-'));
  const backend = process.env.AUSAM_BACKEND;
  // The divergence below is measured on wasm; the CLI picks its backend itself.
  beforeAll(() => (process.env.AUSAM_BACKEND = 'wasm'));
  afterAll(() => {
    if (backend === undefined) delete process.env.AUSAM_BACKEND;
    else process.env.AUSAM_BACKEND = backend;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an existing run folder unless --resume or --overwrite', async () => {
    const config = fixtureConfig(dir);
    const output = path.join(dir, 'run');
    const first = await cli('train', '--config', config, '--output', output, '--no-progress');
    expect(first.code).toBe(0);
    const metrics = fs.readFileSync(path.join(output, 'metrics.jsonl'));
    const again = await cli('train', '--config', config, '--output', output, '--no-progress');
    expect(again.code).toBe(1);
    expect(again.err).toContain(`ausam-classify: ${output} already holds a run (checkpoint.ausam, metrics.jsonl, summary.json): continue it with --resume`);
    expect(again.err).toContain('start over with --overwrite');
    expect(fs.readFileSync(path.join(output, 'metrics.jsonl'))).toEqual(metrics);
    const resumed = await cli('train', '--config', config, '--output', output, '--resume', '--no-progress');
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`resumed from ${path.join(output, 'checkpoint.ausam')} at epoch 1/1`);
    const overwritten = await cli('train', '--config', config, '--output', output, '--overwrite', '--epochs', '2', '--no-progress');
    expect(overwritten.code).toBe(0);
    expect(fs.readFileSync(path.join(output, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 60000);

  it('a NaN test loss stops the run with a non-zero exit code instead of being reported as a result', async () => {
    // Two steps at lr 1e38 on the fixture: the training losses stay finite, the weights after them do not.
    const run = await cli('train', '--config', fixtureConfig(dir), '--output', path.join(dir, 'diverged'), '--lr', '1e38', '--no-progress');
    expect(run.code).toBe(1);
    expect(run.err).toContain('ausam-classify: non-finite evaluation metric test.loss = NaN after epoch 1 (learning rate 1e+38): the weights diverged');
    expect(run.out).toBe('');
  }, 60000);
});
