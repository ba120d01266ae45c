import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TwoMoonsDataset } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { EVALUATION, FIRST_PASS } from '../passes/forward-modes';
import { localPasses } from '../passes/local-passes';
import { automaticReplicaCount, prepareRuntime, wasmThreadsFor } from './prepare-runtime';

const recipe = { module: path.join(__dirname, '../example/two-moons-recipe.ts'), exportName: 'createTwoMoonsTask', options: { seed: 99, hidden: 8 } };
const quiet = () => {};

describe('wasmThreadsFor', () => {
  it("takes the caller's count, else leaves AUSAM_WASM_THREADS to selectBackend, else one thread per replica", () => {
    expect(wasmThreadsFor(2, 3, '4')).toBe(3);
    expect(wasmThreadsFor(2, undefined, '4')).toBeUndefined();
    expect(wasmThreadsFor(2, undefined, 'all')).toBeUndefined();
    expect(wasmThreadsFor(2, undefined, undefined)).toBe(1);
    expect(wasmThreadsFor(2, undefined, ' ')).toBe(1);
    expect(wasmThreadsFor(1, undefined, undefined)).toBeUndefined();
  });
});

describe('automaticReplicaCount', () => {
  it('gives one replica per core on wasm, at most one per sample, and 1 when wasm threads are asked for or on another backend', () => {
    expect(automaticReplicaCount('wasm', false, 8, 128)).toBe(8);
    expect(automaticReplicaCount('wasm', false, 8, 3)).toBe(3);
    expect(automaticReplicaCount('wasm', false, 2)).toBe(2);
    expect(automaticReplicaCount('wasm', true, 8, 128)).toBe(1);
    expect(automaticReplicaCount('tensorflow', false, 8, 128)).toBe(1);
    expect(automaticReplicaCount('cpu', false, 8, 128)).toBe(1);
  });
});

describe('prepareRuntime', () => {

  it('activates the backend; with one replica its passes are the local ones and nothing starts', async () => {
    const lines: string[] = [];
    const runtime = await prepareRuntime({ backend: 'cpu', log: (line) => lines.push(line) });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['[ausam] backend: cpu — forced by caller']);
    expect([runtime.backend, runtime.threads, runtime.replicas, runtime.describe()]).toEqual(['cpu', undefined, 1, 'cpu']);
    const task = new TwoMoonsTask(1, 8);
    expect(await runtime.startReplicas(task)).toBe(localPasses);
    expect(runtime.passes).toBe(localPasses);
    await runtime.dispose();
  });

  it("with replicas 'auto' on a backend other than wasm, runs one replica", async () => {
    const runtime = await prepareRuntime({ backend: 'cpu', replicas: 'auto', batchSize: 32, log: quiet });
    expect([runtime.backend, runtime.replicas, runtime.passes]).toEqual(['cpu', 1, localPasses]);
    await runtime.dispose();
  });

  it('starts replicas for a task with its recipe: their passes split the batch, and dispose stops them', async () => {
    const runtime = await prepareRuntime({ backend: 'cpu', replicas: 2, recipe, log: quiet });
    expect(runtime.describe()).toBe('cpu, 2 replicas');
    const task = new TwoMoonsTask(1, 8);
    const batch = new TwoMoonsDataset(10, 3).gather(Int32Array.from({ length: 10 }, (_, i) => i));
    try {
      const passes = await runtime.startReplicas(task);
      expect(passes).not.toBe(localPasses);
      expect(runtime.passes).toBe(passes);
      await expect(runtime.startReplicas(task)).rejects.toThrow('startReplicas: this runtime already runs replicas');
      // Running BatchNorm statistics: each replica's slice gives the losses the whole batch gives here.
      const split = passes.perSampleLoss(task, batch, EVALUATION);
      expect(Array.from(split)).toEqual(Array.from(localPasses.perSampleLoss(task, batch, EVALUATION)));
      await runtime.dispose();
      expect(runtime.passes).toBe(localPasses);
      expect(() => passes.perSampleLoss(task, batch, FIRST_PASS)).toThrow('a pass after close()');
    } finally {
      await runtime.dispose();
      task.disposeBatch(batch);
    }
  });

  it('needs a recipe for replicas, refuses a replica count that is not a positive integer, and warns past the core count', async () => {
    const runtime = await prepareRuntime({ backend: 'cpu', replicas: 2, log: quiet });
    await expect(runtime.startReplicas(new TwoMoonsTask(1, 8))).rejects.toThrow('startReplicas: 2 replicas need a recipe');
    await expect(prepareRuntime({ backend: 'cpu', replicas: 1.5, log: quiet })).rejects.toThrow('replicas must be a positive integer, found 1.5');
    const lines: string[] = [];
    const cores = os.availableParallelism();
    const crowded = await prepareRuntime({ backend: 'cpu', replicas: cores + 1, log: (line) => lines.push(line) });
    expect(lines[0]).toBe(`[ausam] ${cores + 1} replicas on ${cores} cores: they will share cores and run slower than ${cores}`);
    await crowded.dispose();
  });
});
