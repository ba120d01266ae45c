import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readJsonFile, selectBackend } from '@ausam/core';
import { evaluateRun } from './eval-command';
import { parseClassificationRun } from './run-config';
import { runClassificationTraining } from './train-command';

const CONFIG_DIR = path.join(__dirname, '..', '..', 'configs');
const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');
const quiet = () => {};

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: quiet });
});

describe('ausam-classify', () => {
  it('every shipped config is valid', () => {
    const files = fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const config = parseClassificationRun(readJsonFile(path.join(CONFIG_DIR, file)), file);
      expect(config.name).toBe(file.replace(/\.json$/, ''));
      if (config.description?.startsWith('ajiaaa/AUSAM train.py defaults')) {
        // the full-scale recipe: the authors' models, init and label smoothing (docs/algorithm.md §6)
        expect([file, config.model.name]).toEqual([file, expect.stringMatching(/^(wrn-28-10-ausam|resnet18|pyramidnet-110-270)$/)]);
        expect([file, config.model.init]).toEqual([file, 'authors']);
        expect([file, config.model.labelSmoothing]).toEqual([file, { epsilon: 0.1, form: 'authors' }]);
      }
    }
  });

  it('trains on the CIFAR-10 fixture, writes a run folder, and evaluates its checkpoint', async () => {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-classify-'));
    const config = parseClassificationRun(
      {
        name: 'fixture',
        dataset: { kind: 'cifar10', path: path.join(FIXTURES, 'cifar-10-batches-bin') },
        model: { name: 'resnet-small' },
        method: { method: 'ausam', ratio: 0.5 },
        learningRate: { kind: 'constant', lr: 0.01 },
        epochs: 2,
        batchSize: 4,
        seed: 3,
        outputDir,
      },
      'inline',
    );
    const summary = await runClassificationTraining(config, { progress: false, log: quiet });
    expect(summary.epochs).toBe(2);
    // a full-SAM warm-up epoch, then half of each batch
    expect(summary.fractionOfSamWork).toBeCloseTo(0.75, 1);
    for (const file of ['config.json', 'metrics.jsonl', 'checkpoint.ausam', 'summary.json']) {
      expect(fs.existsSync(path.join(outputDir, file))).toBe(true);
    }
    const metrics = await evaluateRun(outputDir, quiet);
    expect(metrics.accuracy).toBeCloseTo(summary.final.test.accuracy, 6);
    expect(metrics.loss).toBeCloseTo(summary.final.test.loss, 4);
  }, 120000);

  it("trains the authors' WRN with their init and smoothing on noisy labels, and records the noise in config.json", async () => {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-classify-noise-'));
    const lines: string[] = [];
    const config = parseClassificationRun(
      {
        name: 'authors-recipe',
        dataset: { kind: 'cifar10', path: path.join(FIXTURES, 'cifar-10-batches-bin'), trainLimit: 8, labelNoise: { rate: 0.5, seed: 2 } },
        model: { name: 'wrn-10-1-ausam', init: 'authors', labelSmoothing: { epsilon: 0.1, form: 'authors' } },
        method: { method: 'sam', rho: 0.1 },
        learningRate: { kind: 'constant', lr: 0.01 },
        epochs: 1,
        batchSize: 4,
        seed: 3,
        outputDir,
      },
      'inline',
    );
    const summary = await runClassificationTraining(config, { progress: false, log: (l) => lines.push(l) });
    expect(Number.isFinite(summary.finalTrainLoss)).toBe(true);
    expect(lines).toContain('[ausam] label noise: 4 of 8 training labels replaced by another class');
    expect(lines.some((l) => /model: WRN-10-1 .*ajiaaa\/AUSAM's variant: 2 blocks per group/.test(l))).toBe(true);
    const recorded = JSON.parse(fs.readFileSync(path.join(outputDir, 'config.json'), 'utf8'));
    expect(recorded.dataset.labelNoise).toEqual({ rate: 0.5, seed: 2 });
    expect(recorded.model).toEqual({ name: 'wrn-10-1-ausam', init: 'authors', labelSmoothing: { epsilon: 0.1, form: 'authors' } });
    expect(await evaluateRun(outputDir, quiet)).toMatchObject({ accuracy: summary.final.test.accuracy });
  }, 120000);

  it('trains with 2 data-parallel replicas: deterministic, and resumes exactly', async () => {
    const base = (outputDir: string, epochs: number) =>
      parseClassificationRun(
        {
          name: 'replicas',
          dataset: { kind: 'cifar10', path: path.join(FIXTURES, 'cifar-10-batches-bin') },
          model: { name: 'resnet-small' },
          method: { method: 'ausam', ratio: 0.5 },
          learningRate: { kind: 'constant', lr: 0.01 },
          epochs,
          batchSize: 8,
          seed: 5,
          replicas: 2,
          outputDir,
        },
        'inline',
      );
    const lines: string[] = [];
    const straight = await runClassificationTraining(base(fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-rep-')), 2), { progress: false, log: (l) => lines.push(l) });
    expect(lines).toContain('[ausam] data-parallel: 2 replicas, 4 images each per batch');
    const again = await runClassificationTraining(base(fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-rep-')), 2), { progress: false, log: quiet });
    expect(again.final).toEqual(straight.final);
    expect(again.history.map((r) => r.trainLoss)).toEqual(straight.history.map((r) => r.trainLoss));

    const resumedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-rep-'));
    await runClassificationTraining(base(resumedDir, 1), { progress: false, log: quiet });
    const resumed = await runClassificationTraining(base(resumedDir, 2), { progress: false, log: quiet, resume: true });
    expect(resumed.final).toEqual(straight.final);
    expect(resumed.history.map((r) => r.trainLoss)).toEqual(straight.history.map((r) => r.trainLoss));
  }, 120000);

  it('names the folder when a dataset is missing', async () => {
    const config = parseClassificationRun(
      {
        name: 'missing',
        dataset: { kind: 'cifar10', path: '/nonexistent/cifar' },
        model: { name: 'resnet-small' },
        method: { method: 'sam' },
        learningRate: { kind: 'constant', lr: 0.01 },
        epochs: 1,
        batchSize: 4,
        seed: 1,
      },
      'inline',
    );
    await expect(runClassificationTraining(config, { progress: false, log: quiet })).rejects.toThrow(/\/nonexistent\/cifar/);
  });
});
