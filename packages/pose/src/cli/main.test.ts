import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import { COMMAND_USAGE, USAGE } from './usage';
import { runMainCaptured } from '../../../../test-support/cli-run';

const fixtures = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');
const packageVersion = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version;

/** `main` in-process, each of its writes (text ending in a newline) kept as one `out` line. */
const cli = (...argv: string[]) => runMainCaptured((args, io) => main(args, (text) => (io.out(text), true)), argv);

describe('ausam-pose help and version', () => {
  it('--help, -h and <command> --help print the usage and exit 0', async () => {
    expect(await cli('--help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(await cli('-h')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    for (const command of ['train', 'eval', 'baseline']) {
      expect(await cli(command, '--help')).toEqual({ code: 0, out: `${COMMAND_USAGE[command]}\n`, err: '' });
    }
    expect(COMMAND_USAGE.train).toContain('--overwrite');
  });

  it('--version prints the package version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: `${packageVersion}\n`, err: '' });
  });
});

describe('ausam-pose train into an existing run folder', () => {
  it('is refused without --resume or --overwrite; --overwrite starts over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-main-'));
    try {
      const runDir = path.join(dir, 'run');
      const configFile = path.join(dir, 'config.json');
      const config = {
        name: 'main-test',
        dataset: { kind: 'mpii', root: fixtures, trainAnnotations: 'annot/train.json', validAnnotations: 'annot/valid.json', trainImages: 'images', validImages: 'images' },
        inputSize: { width: 32, height: 32 },
        model: { preset: 'hrnet-small' },
        sigma: 1,
        method: { method: 'sgd', base: { kind: 'adamw' } },
        learningRate: { kind: 'constant', lr: 0.001 },
        epochs: 1,
        batchSize: 4,
        evalBatchSize: 4,
        seed: 0,
        backend: 'wasm',
        flipTest: false,
        outputDir: runDir,
      };
      writeFileSync(configFile, JSON.stringify(config));
      const train = (...extra: string[]) => cli('train', '--config', configFile, '--no-progress', ...extra);
      expect((await train()).code).toBe(0);
      const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'));
      await expect(train()).rejects.toThrow(`${runDir} already holds a run (checkpoint.ausam, metrics.jsonl, summary.json): continue it with --resume`);
      expect(readFileSync(path.join(runDir, 'metrics.jsonl'))).toEqual(metrics);
      expect((await train('--overwrite', '--epochs', '2')).code).toBe(0);
      expect(readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);
});
