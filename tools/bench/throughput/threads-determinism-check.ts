/**
 * Are training steps bit-identical across XNNPACK pool sizes? Runs 5 SAM steps of `resnet-small`
 * on random images and prints a checksum of the weights and the losses; compare the output of
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/throughput/threads-determinism-check.ts
 *   AUSAM_WASM_THREADS=2 npx tsx tools/bench/throughput/threads-determinism-check.ts
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { buildMethod, selectBackend } from '@ausam/core';
import { ClassificationTask, createModel, type ClassificationBatch } from '@ausam/classification';

async function main(): Promise<void> {
  await selectBackend({ force: 'wasm' });
  const task = new ClassificationTask(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 }));
  const batch: ClassificationBatch = {
    ids: Int32Array.from({ length: 128 }, (_, i) => i),
    images: tf.randomNormal([128, 28, 28, 1], 0, 1, 'float32', 11) as tf.Tensor4D,
    labels: tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([128], 0, 10, 'float32', 12)), 'int32')) as tf.Tensor1D,
  };
  const { optimizer } = buildMethod({ method: 'sam', rho: 0.05 }, 128, 1);
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const result = optimizer.step({ task, batch, learningRate: 0.05 });
    losses.push(result.lossBefore.reduce((a, b) => a + b, 0) / result.lossBefore.length);
  }
  const hash = createHash('sha256');
  for (const v of task.model.trainableVariables) hash.update(Buffer.from((v.dataSync() as Float32Array).buffer));
  console.log(JSON.stringify({ losses, weights: hash.digest('hex').slice(0, 16) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
