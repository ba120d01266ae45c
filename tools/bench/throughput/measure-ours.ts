/**
 * Our side of the throughput suite, one process per (model, thread count): images/s of SGD, SAM
 * and AUSAM steps of `@ausam/classification`'s model on random images, on the wasm backend.
 * `--threads 1` is tfjs' default SIMD build (one thread); n > 1 the threaded SIMD build with an
 * XNNPACK pool of n (`AUSAM_WASM_THREADS=n`, which `selectBackend` starts). Prints one JSON line per method (a
 * {@link ThroughputMeasurement} without `round`).
 *
 *   npx tsx tools/bench/throughput/measure-ours.ts --model resnet-small --methods sgd,sam,ausam --batch 128 --steps 5 --threads 1
 *
 * Each method gets its own optimizer (and sampler) over the same model, one warm-up step, then
 * `--steps` timed steps. AUSAM runs as the trainer runs it after its warm-up epoch: the sampler
 * picks floor(0.5·b) samples (α = 0.5, the authors' default), SAM steps on them, the sampler observes the losses; images/s counts
 * the whole batch of b.
 *
 * `--replicas n` (n > 1, with `--threads 1`): the same steps with `startReplicas`, n data-parallel
 * replicas of one wasm thread each (the main thread included); measurements say `ours-replicas`.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { buildMethod, Rng, selectBackend, startReplicas, type MethodSpec } from '@ausam/core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { ClassificationTask, createModel } from '@ausam/classification';
import { randomClassificationBatch } from './random-batch';
import { THROUGHPUT_METHODS, THROUGHPUT_MODELS, type ThroughputMethod, type ThroughputModel } from './throughput-arguments';
import type { ThroughputMeasurement } from './throughput-table';

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || process.argv[i + 1] === undefined) throw new Error(`measure-ours: --${name} is required`);
  return process.argv[i + 1];
}

const SPECS: Record<ThroughputMethod, MethodSpec> = {
  sgd: { method: 'sgd' },
  sam: { method: 'sam', rho: 0.05 },
  ausam: { method: 'ausam', rho: 0.05, ratio: 0.5 },
};

async function main(): Promise<void> {
  const model = flag('model') as ThroughputModel;
  const shape = THROUGHPUT_MODELS[model];
  if (!shape) throw new Error(`measure-ours --model: expected one of ${Object.keys(THROUGHPUT_MODELS).join(', ')}, found '${model}'`);
  const methods = flag('methods').split(',') as ThroughputMethod[];
  for (const m of methods) if (!THROUGHPUT_METHODS.includes(m)) throw new Error(`measure-ours --methods: unknown '${m}'`);
  const batchSize = Number(flag('batch'));
  const steps = Number(flag('steps'));
  const threads = Number(flag('threads'));
  const replicaCount = process.argv.includes('--replicas') ? Number(flag('replicas')) : 1;
  if (!(Number.isInteger(replicaCount) && replicaCount >= 1)) throw new Error(`measure-ours --replicas: expected a positive integer, found '${flag('replicas')}'`);
  if (replicaCount > 1 && threads !== 1) throw new Error(`measure-ours --replicas ${replicaCount}: expected --threads 1 (one wasm thread per replica), found ${threads}`);
  // An explicit setting: selectBackend starts that pool (or throws), where unset would mean every core.
  process.env.AUSAM_WASM_THREADS = String(threads);
  await selectBackend({ force: 'wasm', log: () => {} });
  const pool = getThreadsCount();
  if (pool !== threads) throw new Error(`measure-ours --threads ${threads}: wasm started a pool of ${pool}`);
  const classifier = createModel(model, { numClasses: 10, inputChannels: shape.channels, seed: 1 });
  const task = new ClassificationTask(classifier);
  const replicas =
    replicaCount > 1
      ? await startReplicas(task, {
          replicas: replicaCount,
          recipe: {
            module: path.join(__dirname, '../../../packages/classification/src/task/replica-task.ts'),
            exportName: 'createClassificationReplicaTask',
            options: { model, numClasses: 10, inputChannels: shape.channels },
          },
        })
      : undefined;
  const batch = randomClassificationBatch(batchSize, shape);
  for (const method of methods) {
    const { optimizer, sampler } = buildMethod(SPECS[method], batchSize, 1);
    const rng = new Rng(1);
    // Epoch 1 of 2: past AUSAM's one warm-up epoch, so it samples as in the rest of training.
    sampler.planEpoch(1, 2, rng);
    const step = () => {
      const selection = sampler.selectInBatch?.(batch.ids, undefined, rng);
      const subset = selection && selection.positions.length < batchSize ? task.selectSamples(batch, selection.positions) : batch;
      try {
        sampler.observe(optimizer.step({ task, batch: subset, learningRate: 0.01, passes: replicas }));
      } finally {
        if (subset !== batch) task.disposeBatch(subset);
      }
    };
    step();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < steps; i++) step();
    const wallMs = (performance.now() - start) / steps;
    const cpu = process.cpuUsage(cpuStart);
    optimizer.dispose();
    const measurement: Omit<ThroughputMeasurement, 'round'> = {
      impl: replicas ? 'ours-replicas' : 'ours',
      model,
      method,
      parallelism: replicas ? replicaCount : threads,
      imagesPerSec: (1000 * batchSize) / wallMs,
      wallMsPerStep: wallMs,
      cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    };
    console.log(JSON.stringify(measurement));
  }
  await replicas?.close();
  classifier.dispose();
  tf.dispose([batch.images, batch.labels]);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
