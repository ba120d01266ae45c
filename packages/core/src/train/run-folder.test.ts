import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { cosineSchedule } from '../optim/schedule/schedules';
import type { Dataset } from '../task/contracts';
import { CheckpointFormatError } from './checkpoint-file';
import { snapshotWeights } from './model-weights';
import { RunFolderInUseError } from './run-folder-in-use-error';
import { temporaryFolder, trainTwoMoons, zeroMiddleOfData, type TwoMoonsRun } from './test-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const trainSet = new TwoMoonsDataset(128, 1);
const testSet = new TwoMoonsDataset(64, 2);

type RunExtras = Omit<TwoMoonsRun, 'method' | 'epochs' | 'trainSet' | 'testSet' | 'outputDir'> & { trainData?: Dataset<PointBatch> };

function run(outputDir: string, epochs: number, { trainData, ...extra }: RunExtras = {}) {
  return trainTwoMoons({ method: 'ausam', epochs, trainSet: trainData ?? trainSet, testSet, outputDir, ...extra });
}

/** The training set, throwing when epoch `crashEpoch` (1-based) asks for its batches. */
function crashingIn(crashEpoch: number): Dataset<PointBatch> {
  let calls = 0;
  return {
    size: trainSet.size,
    batches(ids, batchSize, rng) {
      if (++calls === crashEpoch) throw new Error(`simulated crash in epoch ${crashEpoch}`);
      return trainSet.batches(ids, batchSize, rng);
    },
  };
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));
const metricEpochs = (dir: string) =>
  read(dir, 'metrics.jsonl').toString('utf8').trim().split('\n').map((line) => JSON.parse(line).epoch as number);

describe('run folders', () => {
  it('refuses to reuse a folder holding a run without resume or overwrite, and leaves it untouched', async () => {
    const dir = temporaryFolder();
    await run(dir, 2);
    const before = { metrics: read(dir, 'metrics.jsonl'), checkpoint: read(dir, 'checkpoint.ausam'), summary: read(dir, 'summary.json') };
    const again = run(dir, 2);
    await expect(again).rejects.toThrow(RunFolderInUseError);
    await expect(again).rejects.toThrow(
      `${dir} already holds a run (checkpoint.ausam, checkpoint.prev.ausam, metrics.jsonl, summary.json): continue it with --resume`,
    );
    await expect(again).rejects.toThrow(/or delete it and start over with --overwrite \(train option overwrite: true\)/);
    expect(read(dir, 'metrics.jsonl')).toEqual(before.metrics);
    expect(read(dir, 'checkpoint.ausam')).toEqual(before.checkpoint);
    expect(read(dir, 'summary.json')).toEqual(before.summary);
  });

  it('with overwrite, deletes the old run and starts over', async () => {
    const dir = temporaryFolder();
    await run(dir, 3);
    expect(metricEpochs(dir)).toEqual([0, 1, 2]);
    const { summary } = await run(dir, 1, { overwrite: true });
    expect(summary.history).toHaveLength(1);
    expect(metricEpochs(dir)).toEqual([0]);
    expect(fs.existsSync(path.join(dir, 'checkpoint.prev.ausam'))).toBe(false);
    expect(JSON.parse(read(dir, 'summary.json').toString('utf8')).epochs).toBe(1);
  });

  it('rejects resume together with overwrite', async () => {
    await expect(run(temporaryFolder(), 1, { resume: true, overwrite: true })).rejects.toThrow(/resume and overwrite exclude each other/);
  });

  it('writes config.json: the given config verbatim, else what the trainer was told', async () => {
    const given = temporaryFolder();
    await run(given, 1, { config: { name: 'mine', anything: [1, 2] } });
    expect(JSON.parse(read(given, 'config.json').toString('utf8'))).toEqual({ name: 'mine', anything: [1, 2] });
    const derived = temporaryFolder();
    await run(derived, 2);
    const config = JSON.parse(read(derived, 'config.json').toString('utf8'));
    expect(config).toMatchObject({ task: 'two-moons', method: 'sam', sampler: 'ausam', epochs: 2, batchSize: 32, seed: 5, trainSetSize: 128 });
    expect(config.evalSets).toEqual({ test: { size: 64 } });
    expect(config.learningRatePerEpoch).toEqual([0.1, cosineSchedule(0.1, 2).at(1)]);
  });

  it('resumes from the previous checkpoint when the latest is corrupt, to exactly the uninterrupted weights', async () => {
    const straight = await run(temporaryFolder(), 4);
    const dir = temporaryFolder();
    await expect(run(dir, 4, { trainData: crashingIn(4) })).rejects.toThrow(/simulated crash in epoch 4/);
    expect(metricEpochs(dir)).toEqual([0, 1, 2]);
    zeroMiddleOfData(path.join(dir, 'checkpoint.ausam'));
    const lines: string[] = [];
    const resumed = await run(dir, 4, { resume: true, log: (line) => lines.push(line) });
    const warning = lines.find((line) => line.includes('warning'));
    expect(warning).toContain(`${path.join(dir, 'checkpoint.ausam')}: payload checksum mismatch: expected sha256`);
    expect(warning).toContain(`resuming from the previous checkpoint ${path.join(dir, 'checkpoint.prev.ausam')}`);
    expect(lines).toContain(`[ausam] resumed from ${path.join(dir, 'checkpoint.prev.ausam')} at epoch 2/4`);
    expect(fs.existsSync(path.join(dir, 'checkpoint.corrupt.ausam'))).toBe(true);
    // The records of epoch 3, trained again from the previous checkpoint, are not duplicated.
    expect(metricEpochs(dir)).toEqual([0, 1, 2, 3]);
    const a = snapshotWeights(straight.task.model);
    const b = snapshotWeights(resumed.task.model);
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
    expect(resumed.summary.history.map((r) => r.trainLoss)).toEqual(straight.summary.history.map((r) => r.trainLoss));
  });

  it('fails, naming both files, when no checkpoint is readable', async () => {
    const dir = temporaryFolder();
    await run(dir, 2);
    zeroMiddleOfData(path.join(dir, 'checkpoint.ausam'));
    zeroMiddleOfData(path.join(dir, 'checkpoint.prev.ausam'));
    const resumed = run(dir, 3, { resume: true });
    await expect(resumed).rejects.toThrow(CheckpointFormatError);
    await expect(resumed).rejects.toThrow(/no readable checkpoint to resume from: .*checkpoint\.ausam: payload checksum mismatch.*checkpoint\.prev\.ausam: payload checksum mismatch/);
  });
});
