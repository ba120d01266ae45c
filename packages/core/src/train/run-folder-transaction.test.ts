import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset } from '../example/two-moons-dataset';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { snapshotWeights } from './model-weights';
import { OutputPathError } from './output-path';
import { NothingToResumeError, ResumeMismatchError } from './resume-check';
import { LOCK_FILE, RunLockHeldError } from './run-lock';
import { RunStoppedError } from './stop-signals';
import { temporaryFolder, trainTwoMoons, type TwoMoonsRun } from './test-helpers';
import { snapshotFolder } from '../../../../test-support/folder-snapshot';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const trainSet = new TwoMoonsDataset(128, 1);
const testSet = new TwoMoonsDataset(64, 2);
const CONFIG = { name: 'moons', method: { method: 'ausam', rho: 0.05 }, learningRate: { kind: 'cosine', lr: 0.1 }, epochs: 2, seed: 5 };

type RunExtras = Omit<TwoMoonsRun, 'method' | 'epochs' | 'trainSet' | 'testSet' | 'outputDir'>;

function run(outputDir: string, epochs: number, extra: RunExtras = {}) {
  return trainTwoMoons({ method: 'ausam', epochs, trainSet, testSet, outputDir, ...extra });
}

const metricEpochs = (dir: string) =>
  fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).epoch as number);

describe('a run folder is a transaction', () => {
  it('has one writer: of two runs started together into one folder, the second fails at once naming the holder', async () => {
    const dir = temporaryFolder();
    const results = await Promise.allSettled([run(dir, 2), run(dir, 2)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RunLockHeldError);
    expect(refused.reason.message).toContain(`${dir} is in use by another run (process ${process.pid} on `);
    expect(metricEpochs(dir)).toEqual([0, 1]);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a resume whose config changes the trajectory, naming each key, with every file left byte-identical', async () => {
    const dir = temporaryFolder();
    await run(dir, 2, { config: CONFIG });
    const before = snapshotFolder(dir);
    const changed = { ...CONFIG, method: { method: 'sam', rho: 0.05 }, learningRate: { kind: 'cosine', lr: 0.2 }, seed: 7 };
    const resumed = run(dir, 2, { config: changed, resume: true });
    await expect(resumed).rejects.toThrow(ResumeMismatchError);
    await expect(resumed).rejects.toThrow(
      `${dir}: cannot resume: the config differs from the one ${path.join(dir, 'checkpoint.ausam')} was trained with, in what changes the run:\n` +
        '  - learningRate.lr: 0.1 in the run, 0.2 now\n  - method.method: "ausam" in the run, "sam" now\n  - seed: 5 in the run, 7 now\n',
    );
    expect(snapshotFolder(dir)).toEqual(before);
    // The same settings (another output path, one more epoch) resume.
    const extended = await run(dir, 3, { config: { ...CONFIG, epochs: 3, outputDir: 'moved' }, resume: true });
    expect(extended.summary.history.map((r) => r.epoch)).toEqual([0, 1, 2]);
    await expect(run(dir, 2, { config: { ...CONFIG, epochs: 2 }, resume: true })).rejects.toThrow('  - epochs: 3 in the run, 2 now');
  });

  it('checks a run without a checkpoint yet against its config.json, and refuses shortening a run without a config', async () => {
    const dir = temporaryFolder();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...CONFIG, seed: 1 }));
    await expect(run(dir, 2, { config: CONFIG, resume: true })).rejects.toThrow(
      `cannot resume: the config differs from the one ${path.join(dir, 'config.json')} was trained with, in what changes the run:\n  - seed: 1 in the run, 5 now`,
    );
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(CONFIG));
    const { summary } = await run(dir, 2, { config: CONFIG, resume: true });
    expect(summary.history.map((r) => r.epoch)).toEqual([0, 1]);
    const derived = temporaryFolder();
    await run(derived, 2);
    await expect(run(derived, 1, { resume: true })).rejects.toThrow(/- epochs: 2 in the run, 1 now/);
  });

  it('resumes an older checkpoint without a config, with a warning', async () => {
    const dir = temporaryFolder();
    await run(dir, 1);
    const file = path.join(dir, 'checkpoint.ausam');
    const { config: _config, ...older } = readCheckpointFile<Record<string, unknown>>(file);
    writeCheckpointFile(file, { ...older, version: 1 });
    const lines: string[] = [];
    await run(dir, 2, { resume: true, log: (line) => lines.push(line) });
    expect(lines).toContain(`[ausam] warning: ${file} carries no config (written by an older version): the new config could not be checked against it`);
    expect(metricEpochs(dir)).toEqual([0, 1]);
  });

  it('refuses --resume with nothing to resume, naming the folder, and creates nothing', async () => {
    const missing = path.join(temporaryFolder(), 'typo');
    await expect(run(missing, 1, { resume: true })).rejects.toThrow(NothingToResumeError);
    await expect(run(missing, 1, { resume: true })).rejects.toThrow(`${missing}: nothing to resume (the folder does not exist)`);
    expect(fs.existsSync(missing)).toBe(false);
    const empty = temporaryFolder();
    await expect(run(empty, 1, { resume: true })).rejects.toThrow(`${empty}: nothing to resume (it holds no checkpoint and no config.json)`);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it('removes temporary files left by a crash or a full disk when the next run starts (resume or overwrite)', async () => {
    const dir = temporaryFolder();
    await run(dir, 1);
    const leftovers = ['checkpoint.ausam.tmp-4000001', 'config.json.tmp-4000002'];
    for (const name of leftovers) fs.writeFileSync(path.join(dir, name), 'partial');
    const lines: string[] = [];
    await run(dir, 2, { resume: true, log: (line) => lines.push(line) });
    expect(lines).toContain(`[ausam] removed ${path.join(dir, leftovers[0])}, a temporary file left by an interrupted write`);
    fs.writeFileSync(path.join(dir, leftovers[1]), 'partial');
    await run(dir, 1, { overwrite: true });
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('stops on SIGINT at the next step, naming the checkpoint a resume continues from; the resume is exact', async () => {
    const straight = await run(temporaryFolder(), 3);
    const dir = temporaryFolder();
    const listeners = process.listenerCount('SIGINT');
    const stopped = run(dir, 3, { stopOnSignals: true, onEpochEnd: (record) => void (record.epoch === 0 && process.emit('SIGINT')) });
    await expect(stopped).rejects.toThrow(RunStoppedError);
    await expect(stopped).rejects.toThrow(
      `stopped by SIGINT during epoch 2/3: --resume (train option resume) continues from ${path.join(dir, 'checkpoint.ausam')} (after epoch 1/3)`,
    );
    await stopped.catch((error: RunStoppedError) => expect(error.exitCode).toBe(130));
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(metricEpochs(dir)).toEqual([0]);
    const resumed = await run(dir, 3, { resume: true });
    const a = snapshotWeights(straight.task.model);
    const b = snapshotWeights(resumed.task.model);
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
  });

  it('checks its inputs at the door: an empty training set, an output path that is a file or too long', async () => {
    const dir = temporaryFolder();
    const empty = path.join(dir, 'empty');
    const noData = trainTwoMoons({ method: 'sgd', epochs: 1, trainSet: new TwoMoonsDataset(0, 1), testSet, outputDir: empty });
    await expect(noData).rejects.toThrow('two-moons: training set: expected at least one sample, found 0');
    expect(fs.existsSync(empty)).toBe(false);
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    await expect(run(file, 1)).rejects.toThrow(OutputPathError);
    await expect(run(file, 1)).rejects.toThrow(`output folder ${file}: is a file, expected a folder`);
    // 4,100 characters of folders: refused before the first epoch, not at the first checkpoint.
    const deep = path.join(dir, ...Array.from({ length: 41 }, () => 'd'.repeat(99)));
    await expect(run(deep, 1)).rejects.toThrow(/^output folder .*: too long: its files' paths reach \d+ bytes \(checkpoint\.corrupt\.ausam\.tmp-\d+\), the OS allows 4095$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['a-file']);
  });

  it('after kill -9 mid-run, the stale lock is taken over and the resume is exact', async () => {
    const straight = await run(temporaryFolder(), 3);
    const dir = temporaryFolder();
    // A child process trains the same run and kills itself with SIGKILL in epoch 3, after epoch 2's checkpoint.
    const script = `
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      require(${JSON.stringify(path.join(__dirname, '../runtime/backend/register-gradients.ts'))});
      const { TwoMoonsDataset } = require(${JSON.stringify(path.join(__dirname, '../example/two-moons-dataset.ts'))});
      const { trainTwoMoons } = require(${JSON.stringify(path.join(__dirname, 'test-helpers.ts'))});
      tf.setBackend('cpu').then(() => trainTwoMoons({
        method: 'ausam', epochs: 3, trainSet: new TwoMoonsDataset(128, 1), testSet: new TwoMoonsDataset(64, 2), outputDir: ${JSON.stringify(dir)},
        onEpochEnd: (record) => { if (record.epoch === 2) process.kill(process.pid, 'SIGKILL'); },
      }));`;
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    // stderr shown on failure: the child's own error, if it died of one before its SIGKILL.
    expect({ signal: child.signal, stderr: child.signal === 'SIGKILL' ? '' : child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(child.pid);
    expect(metricEpochs(dir)).toEqual([0, 1]);
    const resumed = await run(dir, 3, { resume: true });
    expect(resumed.summary.history.map((r) => r.trainLoss)).toEqual(straight.summary.history.map((r) => r.trainLoss));
    const a = snapshotWeights(straight.task.model);
    const b = snapshotWeights(resumed.task.model);
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
