import { buildMethod, cosineSchedule, Rng, selectBackend, train } from '@ausam/core';
import { TabularDataset, TabularTask } from './tabular-task';

/** Three Gaussian blobs in four columns: a stand-in for your own table. */
function blobs(rows: number, seed: number): TabularDataset {
  const rng = new Rng(seed);
  const features = new Float32Array(rows * 4);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
  labels.forEach((label, i) => {
    for (let c = 0; c < 4; c++) features[i * 4 + c] = (c === label ? 2 : 0) + rng.normal();
  });
  return new TabularDataset(features, labels, 4);
}

async function main(): Promise<void> {
  await selectBackend(); // tfjs-node if installed, else wasm (+ core's training kernels), else cpu
  const trainSet = blobs(1200, 1);
  const testSet = blobs(300, 2);
  const task = new TabularTask(4, 3, 7);
  const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5 }, trainSet.size, 1);
  try {
    const summary = await train({
      task, trainSet, evalSets: { test: testSet }, optimizer, sampler,
      learningRate: cosineSchedule(0.1, 4), epochs: 4, batchSize: 64, seed: 1,
      outputDir: 'runs/tabular-ausam', overwrite: true, // resume: true would continue it instead
    });
    const test = summary.final.test;
    console.log(`tabular: test accuracy ${(100 * test.accuracy).toFixed(1)}%, loss ${test.loss.toFixed(3)}, ${(100 * summary.fractionOfSamWork).toFixed(0)}% of SAM's passes`);
  } finally {
    optimizer.dispose();
    task.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
