import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import type { MethodSpec } from '../methods/build-method';
import type { ExperimentConfig, ExperimentParts } from './run-experiment';
import { runExperiment } from './run-experiment';

const recipe = { module: path.join(__dirname, '../example/two-moons-recipe.ts'), exportName: 'createTwoMoonsTask', options: { seed: 7, hidden: 8 } };

function config(outputDir: string, extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    name: 'two-moons',
    method: { method: 'ausam', rho: 0.05, ratio: 0.5 },
    learningRate: { kind: 'constant', lr: 0.1 },
    epochs: 2,
    batchSize: 16,
    seed: 3,
    backend: 'cpu',
    outputDir,
    ...extra,
  };
}

/** A two-moons factory that records what the runner asks of it. */
function twoMoons(events: string[], extra: Partial<ExperimentParts<PointBatch>> = {}) {
  return async (): Promise<ExperimentParts<PointBatch>> => {
    events.push('build');
    const task = new TwoMoonsTask(7, 8);
    return {
      task,
      trainSet: new TwoMoonsDataset(64, 1),
      evalSets: { test: new TwoMoonsDataset(32, 2) },
      taskRecipe: recipe,
      sampleNoun: 'points',
      methodBuilt: (method, outputDir) => events.push(`method ${method.resolved.method} → ${path.basename(outputDir)}`),
      beforeTraining: () => events.push('before training'),
      afterTraining: (summary) => void events.push(`after training: ${summary.epochs} epochs`),
      dispose: () => events.push('dispose'),
      ...extra,
    };
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-experiment-'));

describe('runExperiment', () => {
  it('prepares the runtime, builds, trains, records the run with its backend, and disposes', async () => {
    const events: string[] = [];
    const outputDir = tmp();
    const summary = await runExperiment(config(outputDir), twoMoons(events), { progress: false, log: (line) => events.push(line) });
    expect(summary.epochs).toBe(2);
    expect(summary.final.test.accuracy).toBeGreaterThan(0.5);
    expect(events[0]).toBe('[ausam] backend: cpu — forced by caller');
    expect(events.filter((e) => !e.startsWith('[ausam]'))).toEqual([
      'build',
      `method ausam → ${path.basename(outputDir)}`,
      'before training',
      'after training: 2 epochs',
      'dispose',
    ]);
    const recorded = JSON.parse(fs.readFileSync(path.join(outputDir, 'config.json'), 'utf8'));
    expect(recorded.backend).toBe('cpu');
    expect(recorded.method).toMatchObject({ method: 'ausam', rho: 0.05, ratio: 0.5, warmupEpochs: 1 });
  });

  it('starts the replicas with the task recipe, names the split, and takes a custom run record', async () => {
    const events: string[] = [];
    const outputDir = tmp();
    const runRecord = (method: MethodSpec) => ({ method: method.method, custom: true });
    const summary = await runExperiment(config(outputDir, { replicas: 2 }), twoMoons(events, { runRecord }), {
      progress: false,
      log: (line) => events.push(line),
      logPrefix: '[two-moons]',
    });
    expect(events).toContain('[two-moons] data-parallel: 2 replicas, 8 points each per batch');
    expect(events.indexOf('[two-moons] data-parallel: 2 replicas, 8 points each per batch')).toBeLessThan(events.indexOf('before training'));
    expect(summary.history).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(outputDir, 'config.json'), 'utf8'))).toEqual({ method: 'ausam', custom: true });
  });

  it('disposes what it built when a step fails: a missing recipe for replicas, or a training error', async () => {
    const events: string[] = [];
    await expect(
      runExperiment(config(tmp(), { replicas: 2 }), twoMoons(events, { taskRecipe: undefined }), { progress: false, log: () => {} }),
    ).rejects.toThrow('startReplicas: 2 replicas need a recipe');
    expect(events.filter((e) => e === 'dispose')).toHaveLength(1);
    const failing: string[] = [];
    const afterTraining = () => {
      throw new Error('report failed');
    };
    await expect(runExperiment(config(tmp(), { epochs: 1 }), twoMoons(failing, { afterTraining }), { progress: false, log: () => {} })).rejects.toThrow(
      'report failed',
    );
    expect(failing[failing.length - 1]).toBe('dispose');
  });
});
