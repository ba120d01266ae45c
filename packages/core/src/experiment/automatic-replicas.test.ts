import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import type { ExperimentConfig, ExperimentParts } from './run-experiment';
import { runExperiment } from './run-experiment';

const recipe = { module: path.join(__dirname, '../example/two-moons-recipe.ts'), exportName: 'createTwoMoonsTask', options: { seed: 5, hidden: 16 } };
const BATCH = 32;

/** A short AUSAM run on wasm (its warm-up epoch of SAM, then subsets); two-moons has a BatchNorm layer. */
function config(extra: Partial<ExperimentConfig>): ExperimentConfig {
  return {
    name: 'two-moons-auto',
    method: { method: 'ausam', rho: 0.05, ratio: 0.5 },
    learningRate: { kind: 'constant', lr: 0.1 },
    epochs: 3,
    batchSize: BATCH,
    seed: 4,
    backend: 'wasm',
    outputDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-auto-replicas-')),
    ...extra,
  };
}

async function twoMoons(): Promise<ExperimentParts<PointBatch>> {
  const task = new TwoMoonsTask(5, 16);
  return { task, trainSet: new TwoMoonsDataset(160, 1), evalSets: { test: new TwoMoonsDataset(200, 2) }, taskRecipe: recipe, dispose: () => task.model.dispose() };
}

describe('runExperiment with automaticReplicas (the CLIs’ default route)', () => {
  it('runs one replica per core (at most one per sample) when AUSAM_WASM_THREADS is unset, and ends where one replica ends (1e-5 relative)', async () => {
    // jest.setup.js pins AUSAM_WASM_THREADS=1, which turns automatic replicas off; the user's default has it unset.
    const pinned = process.env.AUSAM_WASM_THREADS;
    const lines: string[] = [];
    let automatic;
    try {
      delete process.env.AUSAM_WASM_THREADS;
      automatic = await runExperiment(config({}), twoMoons, { automaticReplicas: true, progress: false, log: (line) => lines.push(line) });
    } finally {
      process.env.AUSAM_WASM_THREADS = pinned;
    }
    const expected = Math.min(os.availableParallelism(), BATCH);
    expect(lines[0]).toMatch(/^\[ausam\] backend: wasm, 1 thread(, Relaxed SIMD kernels)? — forced by caller$/);
    const parallelLines = lines.filter((line) => line.includes('data-parallel:'));
    expect(parallelLines).toEqual(expected > 1 ? [`[ausam] data-parallel: ${expected} replicas, ${Math.ceil(BATCH / expected)} samples each per batch`] : []);

    const alone = await runExperiment(config({ replicas: 1 }), twoMoons, { progress: false, log: () => {} });
    expect(automatic.history).toHaveLength(3);
    expect(automatic.final.test.accuracy).toBe(alone.final.test.accuracy);
    expect(Math.abs(automatic.final.test.loss - alone.final.test.loss) / alone.final.test.loss).toBeLessThan(1e-5);
    expect(Math.abs(automatic.finalTrainLoss - alone.finalTrainLoss) / alone.finalTrainLoss).toBeLessThan(1e-5);
  });
});
