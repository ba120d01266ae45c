import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { buildMethod, type MethodName } from '../methods/build-method';
import type { Dataset } from '../task/contracts';
import { snapshotWeights } from './model-weights';
import { NonFiniteLossError } from './non-finite-loss-error';
import { trainTwoMoons } from './test-helpers';
import { train } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const trainSet = new TwoMoonsDataset(256, 1);
const testSet = new TwoMoonsDataset(256, 2);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-trainer-'));
}

function run(method: MethodName, epochs: number, extra: { outputDir?: string; resume?: boolean; trainData?: Dataset<PointBatch> } = {}) {
  return trainTwoMoons({ method, epochs, trainSet: extra.trainData ?? trainSet, testSet, outputDir: extra.outputDir, resume: extra.resume });
}

describe('train', () => {
  it('trains SGD, SAM, AUSAM and the uniform control to high accuracy on two moons', async () => {
    for (const method of ['sgd', 'sam', 'ausam', 'uniform'] as const) {
      const { summary } = await run(method, 12);
      expect(summary.final.test.accuracy).toBeGreaterThan(0.85);
      expect(summary.history[0].trainLoss).toBeGreaterThan(summary.finalTrainLoss);
      // ausam / uniform: one full-SAM warm-up epoch of 12, then half of each batch
      const expectedWork = method === 'sgd' ? 0.5 : method === 'sam' ? 1 : (1 + 11 * 0.5) / 12;
      expect(summary.fractionOfSamWork).toBeCloseTo(expectedWork, 1);
    }
  }, 120000);

  it('counts the samples a data-pruning sampler skips as SAM work saved', async () => {
    const { summary } = await run('infobatch', 6);
    for (const record of summary.history) {
      // InfoBatch runs full SAM (2 passes) on each sample it keeps.
      const kept = Math.round(record.samplesPerSecond * record.trainSeconds);
      expect(record.fractionOfSamWork).toBeCloseTo(kept / trainSet.size, 6);
    }
    expect(summary.fractionOfSamWork).toBeLessThan(1);
  }, 120000);

  it('resumes after a crash to exactly the weights of an uninterrupted run', async () => {
    const straight = await run('ausam', 4, { outputDir: tmp() });
    const dir = tmp();
    let calls = 0;
    const crashing: Dataset<PointBatch> = {
      size: trainSet.size,
      batches(ids, batchSize, rng) {
        if (++calls === 3) throw new Error('simulated crash in epoch 3');
        return trainSet.batches(ids, batchSize, rng);
      },
    };
    await expect(run('ausam', 4, { outputDir: dir, trainData: crashing })).rejects.toThrow(/simulated crash/);
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    const resumed = await run('ausam', 4, { outputDir: dir, resume: true });
    const a = snapshotWeights(straight.task.model);
    const b = snapshotWeights(resumed.task.model);
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
    expect(resumed.summary.history.map((r) => r.trainLoss)).toEqual(straight.summary.history.map((r) => r.trainLoss));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).epochs).toBe(4);
  }, 120000);

  it('stops with a clear error on a non-finite loss', async () => {
    const task = new TwoMoonsTask(1);
    const { optimizer } = buildMethod({ method: 'sam' }, trainSet.size, 1);
    const promise = train({
      task,
      trainSet,
      optimizer,
      learningRate: { at: () => 1e30 },
      epochs: 3,
      batchSize: 64,
      seed: 1,
      progress: false,
      log: () => {},
    });
    await expect(promise).rejects.toThrow(NonFiniteLossError);
    await expect(promise).rejects.toThrow(/non-finite loss at epoch \d+, step \d+ \(learning rate 1e\+30\)/);
  });

  it('validates epochs and batch size', async () => {
    const task = new TwoMoonsTask(1);
    const { optimizer } = buildMethod({ method: 'sgd' }, trainSet.size, 1);
    const base = { task, trainSet, optimizer, learningRate: { at: () => 0.1 }, seed: 1, progress: false, log: () => {} };
    await expect(train({ ...base, epochs: 0, batchSize: 8 })).rejects.toThrow(/epochs must be a positive integer, found 0/);
    await expect(train({ ...base, epochs: 1, batchSize: 2.5 })).rejects.toThrow(/batchSize must be a positive integer, found 2.5/);
  });
});
