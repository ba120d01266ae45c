/**
 * Do data-parallel replicas give one thread's pass? One first (SAM) pass of `resnet-small` on a
 * fixed random batch: the gradients of one wasm thread, of 2 wasm replicas (BatchNorm over the
 * whole batch), and with `--cpu` of the cpu backend (the reference; slow), and the relative L2
 * distance between each pair over all trainable variables:
 *   npx tsx tools/bench/throughput/replica-equivalence-check.ts [--batch 128] [--relu] [--cpu]
 * `--relu` keeps the images' positive part (half the pixels exactly 0, like an image background).
 * Uses the built packages (`npx nx run-many -t build` first): the replica threads load them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FIRST_PASS, localPasses, prepareRuntime, restoreWeights, snapshotWeights, startReplicas, type LossAndGradients } from '@ausam/core';
import { createClassificationReplicaTask } from '@ausam/classification';
import { randomClassificationBatch } from './random-batch';

function flatten(result: LossAndGradients): Float64Array {
  const values = result.gradients.flatMap((g) => Array.from(g.dataSync()));
  tf.dispose(result.gradients);
  return Float64Array.from(values);
}

function relativeL2(a: Float64Array, reference: Float64Array): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - reference[i]) ** 2;
    norm += reference[i] ** 2;
  }
  return Math.sqrt(difference / norm);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const batchAt = argv.indexOf('--batch');
  const batchSize = batchAt >= 0 ? Number(argv[batchAt + 1]) : 128;
  await prepareRuntime({ backend: 'wasm', threads: 1, log: () => {} });
  const options = { model: 'resnet-small', numClasses: 10, inputChannels: 1, seed: 3 };
  const task = createClassificationReplicaTask(options);
  const random = randomClassificationBatch(batchSize, { height: 28, width: 28, channels: 1 });
  const batch = argv.includes('--relu') ? { ...random, images: tf.relu(random.images) as tf.Tensor4D } : random;
  const start = snapshotWeights(task.model);
  const gradients: Record<string, Float64Array> = {};
  gradients['wasm, 1 thread'] = flatten(localPasses.lossAndGradients(task, batch, FIRST_PASS));
  restoreWeights(task.model, start);
  const replicas = await startReplicas(task, { replicas: 2, recipe: { module: require.resolve('@ausam/classification'), exportName: 'createClassificationReplicaTask', options } });
  try {
    gradients['wasm, 2 replicas'] = flatten(replicas.lossAndGradients(task, batch, FIRST_PASS));
  } finally {
    await replicas.close();
  }
  if (argv.includes('--cpu')) {
    await tf.setBackend('cpu');
    restoreWeights(task.model, start);
    gradients.cpu = flatten(localPasses.lossAndGradients(task, batch, FIRST_PASS));
  }
  const names = Object.keys(gradients);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      console.log(`batch ${batchSize}: ${names[i]} vs ${names[j]}: relative L2 ${relativeL2(gradients[names[i]], gradients[names[j]]).toExponential(2)}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
