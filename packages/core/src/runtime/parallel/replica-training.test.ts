import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset } from '../../example/two-moons-dataset';
import { TwoMoonsTask } from '../../example/two-moons-task';
import { buildMethod } from '../../methods/build-method';
import { constantSchedule } from '../../optim/schedule/schedules';
import { train } from '../../train/trainer';
import { startReplicas } from './replica-pool';

const recipe = {
  module: path.join(__dirname, '../../example/two-moons-recipe.ts'),
  exportName: 'createTwoMoonsTask',
  options: { seed: 13, hidden: 16 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A short AUSAM run (1 warm-up epoch of SAM, then subsets) with `count` replicas; its test metrics. */
async function trainWith(count: number): Promise<Record<string, number>> {
  const trainSet = new TwoMoonsDataset(160, 1);
  const testSet = new TwoMoonsDataset(200, 2);
  const task = new TwoMoonsTask(13, 16);
  const replicas = await startReplicas(task, { replicas: count, recipe });
  const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5 }, trainSet.size, 11);
  try {
    await train({ task, trainSet, optimizer, sampler, passes: replicas, learningRate: constantSchedule(0.1), epochs: 3, batchSize: 32, seed: 3, progress: false, log: () => {} });
    return await task.evaluate(testSet);
  } finally {
    optimizer.dispose();
    await replicas.close();
  }
}

describe('training with replicas', () => {
  it('ends a seed’s run with 1 and 2 replicas at the same test loss (1e-5 relative) and accuracy', async () => {
    const alone = await trainWith(1);
    const split = await trainWith(2);
    expect(split.accuracy).toBe(alone.accuracy);
    expect(Math.abs(split.loss - alone.loss) / alone.loss).toBeLessThan(1e-5);
  });
});
