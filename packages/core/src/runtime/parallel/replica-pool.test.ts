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

/** Largest |a − b| / max(|b|, floor) over two arrays (floor keeps near-zero entries absolute). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]) / Math.max(Math.abs(b[j]), floor));
  return worst;
}

/** One pass of the whole batch in this thread, from the task's current variables (restored after). */
function onePassAlone(task: TwoMoonsTask, batch: PointBatch, mode: typeof FIRST_PASS, weights?: Float32Array) {
  const all = [...task.model.trainableVariables, ...task.model.stateVariables];
  const start = readVariables(all);
  const result = localPasses.lossAndGradients(task, batch, mode, weights);
  const gradients = result.gradients.map((g) => g.dataSync().slice());
  tf.dispose(result.gradients);
  const state = readVariables(task.model.stateVariables);
  writeVariables(all, start);
  return { losses: result.perSampleLoss, gradients, state };
}

/**
 * Tolerance of a split pass against the whole batch in one thread: BatchNorm sums across replicas in
 * float64 where one thread sums in float32, so results differ in float rounding only (measured on
 * these cases: ~1e-6 relative on cpu).
 */
const SPLIT_TOLERANCE = 1e-5;

/**
 * {@link relativeError} of each gradient, with entries below 3 % of the pass's largest gradient
 * entry compared absolutely against that: the bias before a BatchNorm has a gradient that is zero in
 * exact arithmetic, and float noise of ~1e-8 on both routes.
 */
function gradientErrors(gradients: readonly tf.Tensor[], expected: readonly ArrayLike<number>[]): number[] {
  const largest = Math.max(...expected.map((g) => Array.from(g).reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  return gradients.map((g, i) => relativeError(g.dataSync(), expected[i], 0.03 * largest));
}

describe('startReplicas', () => {
  it.each([2, 3])('splits a pass over %i replicas with BatchNorm over the whole batch: losses, gradients and statistics equal one thread’s', async (count) => {
    const task = new TwoMoonsTask(1, 8);
    const batch = firstBatch(37);
    const weights = Float32Array.from({ length: 37 }, (_, i) => 0.5 + (i % 3));
    const replicas = await startReplicas(task, { replicas: count, recipe: twoMoonsRecipe() });
    try {
      expect(replicas.count).toBe(count);
      for (const mode of [FIRST_PASS, PERTURBED_PASS]) {
        const expected = onePassAlone(task, batch, mode, weights);
        const result = replicas.lossAndGradients(task, batch, mode, weights);
        expect(relativeError(result.perSampleLoss, expected.losses)).toBeLessThan(SPLIT_TOLERANCE);
        for (const error of gradientErrors(result.gradients, expected.gradients)) expect(error).toBeLessThan(SPLIT_TOLERANCE);
        tf.dispose(result.gradients);
        const state = readVariables(task.model.stateVariables);
        expect(relativeError(state, expected.state)).toBeLessThan(SPLIT_TOLERANCE);
        const forwardOnly = replicas.perSampleLoss(task, batch, PERTURBED_PASS);
        const forwardAlone = localPasses.perSampleLoss(task, batch, PERTURBED_PASS);
        expect(relativeError(forwardOnly, forwardAlone)).toBeLessThan(SPLIT_TOLERANCE);
      }
      // Fewer samples than replicas: only the first two take part, and the pass is still one thread's.
      const small = firstBatch(2);
      const expected = onePassAlone(task, small, FIRST_PASS);
      const result = replicas.lossAndGradients(task, small, FIRST_PASS);
      for (const error of gradientErrors(result.gradients, expected.gradients)) expect(error).toBeLessThan(SPLIT_TOLERANCE);
      tf.dispose(result.gradients);
      task.disposeBatch(small);
    } finally {
      await replicas.close();
      task.disposeBatch(batch);
    }
  });

  it('gives SAM steps with 1, 2 and 3 replicas the losses and weights of one thread', async () => {
    const run = async (count: number) => {
      const task = new TwoMoonsTask(5, 8);
      const replicas = await startReplicas(task, { replicas: count, recipe: twoMoonsRecipe() });
      const sam = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
      const dataset = new TwoMoonsDataset(96, 4);
      const losses: number[] = [];
      try {
        for await (const batch of dataset.batches(Int32Array.from({ length: 96 }, (_, i) => i), 24)) {
          losses.push(...sam.step({ task, batch, learningRate: 0.1, passes: replicas }).lossBefore);
          task.disposeBatch(batch);
        }
        return { losses, weights: readVariables([...task.model.trainableVariables, ...task.model.stateVariables]) };
      } finally {
        sam.dispose();
        await replicas.close();
      }
    };
    const alone = await run(1);
    for (const count of [2, 3]) {
      const split = await run(count);
      expect(relativeError(split.losses, alone.losses)).toBeLessThan(SPLIT_TOLERANCE);
      expect(relativeError(split.weights, alone.weights)).toBeLessThan(SPLIT_TOLERANCE);
    }
  });

  it('stops with the failing replica’s message while the others wait in BatchNorm’s all-reduce, then refuses passes', async () => {
    const task = new TwoMoonsTask(1, 8);
    const batch = firstBatch(12);
    const replicas = await startReplicas(task, { replicas: 3, recipe: { module: faultyModule, exportName: 'createFailingTwoMoonsTask', options: { seed: 1, hidden: 8 } } });
    const tensorsBefore = tf.memory().numTensors;
    try {
      expect(() => replicas.lossAndGradients(task, batch, FIRST_PASS)).toThrow(/data-parallel replica [12] failed: Error: injected failure before BatchNorm/);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(() => replicas.perSampleLoss(task, batch, FIRST_PASS)).toThrow('data-parallel replicas: a pass after one that failed');
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
