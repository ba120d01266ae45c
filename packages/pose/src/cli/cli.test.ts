import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import { ConfigError } from '@ausam/core';
import { parseRunConfig } from './run-config';

const fixtures = path.join(__dirname, '../../../../test-fixtures/pose/synthetic-mpii');
const configsDir = path.join(__dirname, '../../configs');

function fixtureConfig(outputDir: string) {
  return {
    name: 'cli-test',
    dataset: { kind: 'mpii', root: fixtures, trainAnnotations: 'annot/train.json', validAnnotations: 'annot/valid.json', trainImages: 'images', validImages: 'images' },
    inputSize: { width: 64, height: 64 },
    model: { preset: 'hrnet-small' },
    sigma: 1,
    augmentation: 'mpii',
    method: { method: 'sgd', base: { kind: 'adamw' } },
    learningRate: { kind: 'constant', lr: 0.001 },
    epochs: 1,
    batchSize: 3,
    evalBatchSize: 2,
    seed: 0,
    backend: 'wasm',
    outputDir,
  };
}

/** A `write` for `main` that keeps what it is given. */
function capturedOutput() {
  const output: string[] = [];
  const write = (text: string) => {
    output.push(text);
    return true;
  };
  return { output, write };
}

describe('ausam-pose CLI', () => {
  it('every shipped config parses', () => {
    const names = readdirSync(configsDir).filter((name) => name.endsWith('.json'));
    expect(names).toEqual(expect.arrayContaining(['synthetic-cpu.json', 'simcc-synthetic-cpu.json', 'simcc-hrnet-w32-mpii-256x256.json', 'simcc-hrnet-w32-coco-256x192.json']));
    for (const name of names) {
      const file = path.join(configsDir, name);
      expect(() => parseRunConfig(JSON.parse(readFileSync(file, 'utf8')), file)).not.toThrow();
    }
  });

  it('names the file and field of a bad config', () => {
    const config = { ...fixtureConfig('x'), model: { preset: 'hrnet-w99' } };
    expect(() => parseRunConfig(config, 'my.json')).toThrow(ConfigError);
    expect(() => parseRunConfig(config, 'my.json')).toThrow(/my\.json: invalid config:\n\s+- model\.preset: .*'hrnet-w32'/);
    expect(() => parseRunConfig({ ...fixtureConfig('x'), epochs: 0, sigma: -1 }, 'my.json')).toThrow(/epochs: .*\n.*sigma: /);
  });

  it('trains one epoch (with --method ausam), writes a run folder, evaluates its checkpoint and prints the baseline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-cli-'));
    try {
      const runDir = path.join(dir, 'run');
      const configFile = path.join(dir, 'config.json');
      writeFileSync(configFile, JSON.stringify(fixtureConfig(runDir)));
      const { output, write } = capturedOutput();
      expect(await main(['train', '--config', configFile, '--method', 'ausam', '--no-progress'], write)).toBe(0);
      const trained = JSON.parse(output.pop()!);
      expect(trained.sampler).toMatch(/ausam/i);
      expect(trained.final.valid).toHaveProperty('pckh');
      for (const file of ['config.json', 'metrics.jsonl', 'checkpoint.ausam', 'summary.json']) expect(existsSync(path.join(runDir, file))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8')).method.method).toBe('ausam');

      expect(await main(['eval', '--config', configFile, '--checkpoint', path.join(runDir, 'checkpoint.ausam')], write)).toBe(0);
      const evaluated = JSON.parse(output.pop()!);
      expect(evaluated.pckh).toBeCloseTo(trained.final.valid.pckh, 6);

      expect(await main(['baseline', '--config', configFile], write)).toBe(0);
      expect(JSON.parse(output.pop()!)).toHaveProperty('pckh_head_top');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains and evaluates the SimCC head (model.head: simcc) on the fixtures', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-cli-'));
    try {
      const runDir = path.join(dir, 'run');
      const configFile = path.join(dir, 'config.json');
      const config = { ...fixtureConfig(runDir), model: { preset: 'hrnet-small', head: 'simcc', splitRatio: 2, beta: 1 }, sigma: 2 };
      writeFileSync(configFile, JSON.stringify(config));
      const { output, write } = capturedOutput();
      expect(await main(['train', '--config', configFile, '--method', 'sam', '--no-progress'], write)).toBe(0);
      const trained = JSON.parse(output.pop()!);
      expect(trained.final.valid.loss).toBeGreaterThan(0);
      expect(trained.final.valid).toHaveProperty('pckh');
      expect(await main(['eval', '--config', configFile, '--checkpoint', path.join(runDir, 'checkpoint.ausam')], write)).toBe(0);
      expect(JSON.parse(output.pop()!).pckh).toBeCloseTo(trained.final.valid.pckh, 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains with --replicas 2 (SimCC head, SAM), the same result twice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-cli-'));
    try {
      const finals: unknown[] = [];
      for (const run of ['a', 'b']) {
        const configFile = path.join(dir, `${run}.json`);
        const config = { ...fixtureConfig(path.join(dir, run)), model: { preset: 'hrnet-small', head: 'simcc', splitRatio: 2, beta: 1 }, sigma: 2, batchSize: 4 };
        writeFileSync(configFile, JSON.stringify(config));
        const { output, write } = capturedOutput();
        expect(await main(['train', '--config', configFile, '--method', 'sam', '--replicas', '2', '--no-progress'], write)).toBe(0);
        finals.push(JSON.parse(output.pop()!).final);
        expect(JSON.parse(readFileSync(path.join(dir, run, 'config.json'), 'utf8')).replicas).toBe(2);
      }
      expect(finals[1]).toEqual(finals[0]);
      await expect(main(['train', '--config', path.join(dir, 'a.json'), '--replicas', 'two'], capturedOutput().write)).rejects.toThrow(
        "--replicas: expected a positive integer, found 'two'",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects SimCC settings on the heatmap head', () => {
    const config = { ...fixtureConfig('x'), model: { preset: 'hrnet-small', splitRatio: 2 } };
    expect(() => parseRunConfig(config, 'my.json')).toThrow(/model: splitRatio and beta are SimCC settings/);
  });

  it('rejects an unknown method', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-cli-'));
    try {
      const configFile = path.join(dir, 'config.json');
      writeFileSync(configFile, JSON.stringify(fixtureConfig(dir)));
      await expect(main(['train', '--config', configFile, '--method', 'adam'])).rejects.toThrow(/--method: expected one of sgd, sam/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
