import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset, type PointBatch } from '../../example/two-moons-dataset';
import { TwoMoonsTask } from '../../example/two-moons-task';
import { LinearRegressionTask } from '../../example/linear-regression-task';
import { FIRST_PASS, PERTURBED_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import { Sam } from '../../optim/sharpness/sam';
import { Sgd } from '../../optim/base/sgd';
import { startReplicas } from './replica-pool';
import { splitPositions } from './split-batch';
import { readVariables, writeVariables } from './variable-buffer';

const twoMoonsRecipe = (hidden = 8) => ({
  module: path.join(__dirname, '../../example/two-moons-recipe.ts'),
  exportName: 'createTwoMoonsTask',
  options: { seed: 99, hidden },
});
const faultyModule = path.join(__dirname, 'faulty-recipe.ts');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function firstBatch(size: number): PointBatch {
  return new TwoMoonsDataset(size, 3).gather(Int32Array.from({ length: size }, (_, i) => i));
}

/** What replicas must compute, done slice by slice in this thread from the same starting state. */
function slicedReference(task: TwoMoonsTask, batch: PointBatch, replicas: number, weights: Float32Array) {
  const all = [...task.model.trainableVariables, ...task.model.stateVariables];
  const start = readVariables(all);
  const runs = splitPositions(batch.ids.length, replicas);
  const losses: number[] = [];
  const gradients = task.model.trainableVariables.map((v) => new Float32Array(v.size));
  const state = new Float32Array(readVariables(task.model.stateVariables).length);
  for (const run of runs) {
    writeVariables(all, start);
    const slice = task.selectSamples(batch, run);
    const result = localPasses.lossAndGradients(task, slice, FIRST_PASS, weights.slice(run[0], run[0] + run.length));
    task.disposeBatch(slice);
    losses.push(...result.perSampleLoss);
    const fraction = run.length / batch.ids.length;
    result.gradients.forEach((g, i) => {
      const values = g.dataSync();
      for (let j = 0; j < values.length; j++) gradients[i][j] += fraction * values[j];
      g.dispose();
    });
    const after = readVariables(task.model.stateVariables);
    for (let j = 0; j < after.length; j++) state[j] += fraction * after[j];
  }
  writeVariables(all, start);
  return { losses, gradients, state };
}

describe('startReplicas', () => {
  it('splits a pass over 3 replicas: losses, gradients and BatchNorm statistics equal slice-by-slice passes', async () => {
    const task = new TwoMoonsTask(1, 8);
    const batch = firstBatch(37);
    const weights = Float32Array.from({ length: 37 }, (_, i) => 0.5 + (i % 3));
    const expected = slicedReference(task, batch, 3, weights);
    const replicas = await startReplicas(task, { replicas: 3, recipe: twoMoonsRecipe() });
    try {
      expect(replicas.count).toBe(3);
      const result = replicas.lossAndGradients(task, batch, FIRST_PASS, weights);
      expect(Array.from(result.perSampleLoss)).toEqual(expected.losses.map((x) => Math.fround(x)));
      result.gradients.forEach((g, i) => {
        const values = g.dataSync();
        for (let j = 0; j < values.length; j++) expect(values[j]).toBeCloseTo(expected.gradients[i][j], 6);
      });
      tf.dispose(result.gradients);
      const state = readVariables(task.model.stateVariables);
      for (let j = 0; j < state.length; j++) expect(state[j]).toBeCloseTo(expected.state[j], 6);
    } finally {
      await replicas.close();
      task.disposeBatch(batch);
    }
  });

  it('equals the single-thread pass for a model without batch statistics, and leaves no tensor behind', async () => {
    const initial = [0.3, -0.2, 0.5];
    const task = new LinearRegressionTask(initial);
    const inputs = Array.from({ length: 10 }, (_, i) => [1, i / 10, (i % 3) - 1]);
    const batch = task.batch(Array.from({ length: 10 }, (_, i) => i), inputs, inputs.map((x, i) => x[1] * 2 - i / 7));
    const alone = localPasses.lossAndGradients(task, batch, FIRST_PASS);
    const replicas = await startReplicas(task, {
      replicas: 2,
      recipe: { module: faultyModule, exportName: 'createRegressionTask', options: { initial: [0, 0, 0] } },
    });
    const tensorsBefore = tf.memory().numTensors;
    try {
      const split = replicas.lossAndGradients(task, batch, PERTURBED_PASS);
      expect(Array.from(split.perSampleLoss)).toEqual(Array.from(alone.perSampleLoss));
      const [a, b] = [alone.gradients[0].dataSync(), split.gradients[0].dataSync()];
      a.forEach((x, j) => expect(b[j]).toBeCloseTo(x, 6));
      tf.dispose(split.gradients);
      expect(Array.from(replicas.perSampleLoss(task, batch, PERTURBED_PASS))).toEqual(Array.from(alone.perSampleLoss));
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    } finally {
      await replicas.close();
      tf.dispose(alone.gradients);
      task.disposeBatch(batch);
    }
  });

  it('trains SAM steps deterministically for a given replica count', async () => {
    const run = async () => {
      const task = new TwoMoonsTask(5, 8);
      const replicas = await startReplicas(task, { replicas: 2, recipe: twoMoonsRecipe() });
      const sam = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
      const dataset = new TwoMoonsDataset(64, 4);
      const losses: number[] = [];
      try {
        for await (const batch of dataset.batches(Int32Array.from({ length: 64 }, (_, i) => i), 16)) {
          losses.push(...sam.step({ task, batch, learningRate: 0.1, passes: replicas }).lossBefore);
          task.disposeBatch(batch);
        }
        return { losses, weights: Array.from(readVariables([...task.model.trainableVariables, ...task.model.stateVariables])) };
      } finally {
        await replicas.close();
      }
    };
    const [first, second] = [await run(), await run()];
    expect(first.losses).toHaveLength(64);
    expect(second).toEqual(first);
  });

  it('stops with the replica’s message when its pass fails, and refuses passes after close', async () => {
    const task = new LinearRegressionTask([1, 2]);
    const batch = task.batch([0, 1, 2, 3], [[1, 0], [0, 1], [1, 1], [2, 0]], [1, 2, 3, 2]);
    const replicas = await startReplicas(task, {
      replicas: 2,
      recipe: { module: faultyModule, exportName: 'createFailingTask', options: { initial: [0, 0] } },
    });
    const tensorsBefore = tf.memory().numTensors;
    try {
      expect(() => replicas.lossAndGradients(task, batch, FIRST_PASS)).toThrow(/data-parallel replica 1 failed: Error: injected failure in the replica/);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    } finally {
      await replicas.close();
    }
    expect(() => replicas.lossAndGradients(task, batch, FIRST_PASS)).toThrow('data-parallel replicas: a pass after close()');
    const here = localPasses.lossAndGradients(task, batch, FIRST_PASS);
    expect(here.perSampleLoss).toHaveLength(4);
    tf.dispose(here.gradients);
    task.disposeBatch(batch);
  });

  it('stops with the exit code when a replica thread ends in the middle of a pass', async () => {
    const task = new LinearRegressionTask([1, 2]);
    const batch = task.batch([0, 1, 2, 3], [[1, 0], [0, 1], [1, 1], [2, 0]], [1, 2, 3, 2]);
    const replicas = await startReplicas(task, {
      replicas: 2,
      recipe: { module: faultyModule, exportName: 'createExitingTask', options: { initial: [0, 0] } },
    });
    try {
      expect(() => replicas.lossAndGradients(task, batch, FIRST_PASS)).toThrow('data-parallel replica 1 failed: the replica thread exited with code 7');
    } finally {
      await replicas.close();
      task.disposeBatch(batch);
    }
  });

  it('refuses a pass of another task than the one it was started for', async () => {
    const task = new LinearRegressionTask([1, 2]);
    const other = new LinearRegressionTask([1, 2]);
    const batch = other.batch([0, 1], [[1, 0], [0, 1]], [1, 2]);
    const replicas = await startReplicas(task, {
      replicas: 2,
      recipe: { module: faultyModule, exportName: 'createRegressionTask', options: { initial: [0, 0] } },
    });
    try {
      expect(() => replicas.perSampleLoss(other, batch, FIRST_PASS)).toThrow(`data-parallel replicas: started for another task than '${other.name}'`);
    } finally {
      await replicas.close();
      other.disposeBatch(batch);
    }
  });

  it('refuses a recipe it cannot load, one that throws, and one whose variables differ', async () => {
    const task = new TwoMoonsTask(1, 8);
    await expect(startReplicas(task, { replicas: 2, recipe: { module: '/nowhere/recipe.js', exportName: 'x' } })).rejects.toThrow(
      "replica recipe: cannot load module '/nowhere/recipe.js'",
    );
    await expect(startReplicas(task, { replicas: 2, recipe: { module: faultyModule, exportName: 'missing' } })).rejects.toThrow(
      `expected module '${faultyModule}' to export a function 'missing', found no such export`,
    );
    await expect(startReplicas(task, { replicas: 2, recipe: { module: faultyModule, exportName: 'throwingFactory' } })).rejects.toThrow(
      'the factory refused',
    );
    await expect(startReplicas(task, { replicas: 2, recipe: twoMoonsRecipe(4) })).rejects.toThrow(
      /the recipe's task has 8 trainable variables of shapes \[2,4\] .*; the main thread's has 8: \[2,8\]/,
    );
    await expect(startReplicas(task, { replicas: 0, recipe: twoMoonsRecipe() })).rejects.toThrow('replicas must be a positive integer, found 0');
  });
});
