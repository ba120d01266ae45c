import { buildMethod, cosineSchedule, prepareRuntime, Rng, train } from '@ausam/core';
import { TabularDataset, TabularTask } from './tabular-task';

/** The recipe's factory: what each replica thread calls to build its copy of the task. */
export function createTabularTask(options: { columns: number; classes: number }): TabularTask {
  return new TabularTask(options.columns, options.classes, 0);
}

function blobs(rows: number, seed: number): TabularDataset {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const features = Float32Array.from({ length: rows * 4 }, (_, k) => (k % 4 === labels[Math.floor(k / 4)] ? 2 : 0) + rng.normal());
  return new TabularDataset(features, labels, 4);
}

async function main(): Promise<void> {
  const runtime = await prepareRuntime({ replicas: 2 }); // the backend, one wasm thread per replica
  const trainSet = blobs(1200, 1);
  const task = new TabularTask(4, 3, 7);
  const { optimizer, sampler } = buildMethod({ method: 'sam', rho: 0.05 }, trainSet.size, 1);
  try {
    const passes = await runtime.startReplicas(task, { module: __filename, exportName: 'createTabularTask', options: { columns: 4, classes: 3 } });
    const summary = await train({
      task, trainSet, evalSets: { test: blobs(300, 2) }, optimizer, sampler, passes,
      learningRate: cosineSchedule(0.1, 3), epochs: 3, batchSize: 64, seed: 1, progress: false,
    });
    console.log(`tabular, ${runtime.replicas} replicas: test accuracy ${(100 * summary.final.test.accuracy).toFixed(1)}%`);
  } finally {
    await runtime.dispose();
    optimizer.dispose();
    task.dispose();
  }
}

// The replicas load this file for its factory: only the process started on it trains.
if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
