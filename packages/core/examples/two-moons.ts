// Runnable with `npx tsx packages/core/examples/two-moons.ts` from the repository root.
import { buildMethod, cosineSchedule, selectBackend, train, TwoMoonsDataset, TwoMoonsTask } from '@ausam/core';

async function main(): Promise<void> {
  await selectBackend();
  const trainSet = new TwoMoonsDataset(512, 1);
  const testSet = new TwoMoonsDataset(512, 2);
  for (const method of ['sgd', 'sam', 'ausam', 'uniform'] as const) {
    const task = new TwoMoonsTask(7);
    const { optimizer, sampler } = buildMethod({ method, rho: 0.05, ratio: 0.5 }, trainSet.size, 1);
    const summary = await train({
      task,
      trainSet,
      evalSets: { test: testSet },
      optimizer,
      sampler,
      learningRate: cosineSchedule(0.1, 10),
      epochs: 10,
      batchSize: 64,
      seed: 1,
      progress: false,
      log: () => {},
    });
    console.log(
      `${method.padEnd(8)} test accuracy ${(100 * summary.final.test.accuracy).toFixed(1)}%  ` +
        `train loss ${summary.finalTrainLoss.toFixed(4)}  ${summary.trainSeconds.toFixed(1)} s  ` +
        `${(100 * summary.fractionOfSamWork).toFixed(0)}% of SAM's passes`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
