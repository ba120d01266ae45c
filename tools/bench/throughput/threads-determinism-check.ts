/**
 * Are training steps bit-identical across XNNPACK pool sizes? Runs 5 SAM steps of `resnet-small`
 * on random images and prints a checksum of the weights and the losses; compare the output of
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/throughput/threads-determinism-check.ts
 *   AUSAM_WASM_THREADS=2 npx tsx tools/bench/throughput/threads-determinism-check.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildMethod, selectBackend } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { weightsHash } from './weights-hash';
import { randomClassificationBatch } from './random-batch';

async function main(): Promise<void> {
  await selectBackend({ force: 'wasm' });
  const task = new ClassificationTask(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 }));
  const batch = randomClassificationBatch(128, { height: 28, width: 28, channels: 1 });
  const { optimizer } = buildMethod({ method: 'sam', rho: 0.05 }, 128, 1);
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const result = optimizer.step({ task, batch, learningRate: 0.05 });
    losses.push(result.lossBefore.reduce((a, b) => a + b, 0) / result.lossBefore.length);
  }
  console.log(JSON.stringify({ losses, weights: weightsHash(task.model.trainableVariables).slice(0, 16) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
