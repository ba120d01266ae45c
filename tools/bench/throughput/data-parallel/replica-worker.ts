/**
 * One data-parallel replica (a worker_thread started by `probe.ts`): its own single-threaded wasm
 * backend and `resnet-small` (seed 1, identical initial weights on every replica), its slice of the
 * fixed random batch (images seed 11, labels seed 12, as in measure-ours.ts), then per method one
 * warm-up step and `steps` timed steps, gradients summed through {@link SharedAllReduce}. Posts one
 * {@link ReplicaReport} per method.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { Perturbation, selectBackend, Sgd } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { randomClassificationBatch } from '../random-batch';
import { SharedAllReduce, type AllReduceBuffers } from './shared-all-reduce';
import { dataParallelSamStep, dataParallelSgdStep } from './data-parallel-step';
import { weightsHash } from './weights-hash';

/** What `probe.ts` hands each replica. */
export interface ReplicaInput {
  readonly rank: number;
  readonly replicas: number;
  readonly methods: readonly ('sgd' | 'sam')[];
  readonly batchSize: number;
  readonly steps: number;
  readonly buffers: AllReduceBuffers;
}

/** One replica's timings and weight checksums after one method's warm-up + timed steps. */
export interface ReplicaReport {
  readonly rank: number;
  readonly method: 'sgd' | 'sam';
  readonly localBatch: number;
  readonly wallMsPerStep: number;
  readonly exchangeWaitMsPerStep: number;
  readonly exchangeCopyMsPerStep: number;
  readonly reducesPerStep: number;
  /** sha256 of the trainable variables after warm-up + timed steps. */
  readonly trainableSha256: string;
  /** sha256 of BatchNorm running statistics (per replica: expected to differ across replicas). */
  readonly stateSha256: string;
  readonly firstStepMeanLoss: number;
  /** The wasm backend's XNNPACK pool (`getThreadsCount()`). */
  readonly wasmThreads: number;
  /** Live tensors after the timed steps minus after the warm-up step (0: no leak). */
  readonly tensorDelta: number;
}

async function main(): Promise<void> {
  const input = workerData as ReplicaInput;
  const { rank, replicas, batchSize, steps } = input;
  await selectBackend({ force: 'wasm', log: () => {} });
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 });
  const task = new ClassificationTask(model);
  const start = Math.floor((rank * batchSize) / replicas);
  const size = Math.floor(((rank + 1) * batchSize) / replicas) - start;
  const whole = randomClassificationBatch(batchSize, { height: 28, width: 28, channels: 1 });
  const batch = task.selectSamples(whole, Int32Array.from({ length: size }, (_, i) => start + i));
  task.disposeBatch(whole);
  const allReduce = new SharedAllReduce(input.buffers, rank);
  const reduce = (gradients: readonly tf.Tensor[], share: number) => allReduce.reduce(gradients, share);
  const share = size / batchSize;

  for (const method of input.methods) {
    // DEFAULT_BASE of core (what measure-ours.ts steps with): momentum 0.9, weight decay 5e-4.
    const base = new Sgd({ momentum: 0.9, weightDecay: 5e-4 });
    const perturbation = new Perturbation({ rho: 0.05 });
    const step = () =>
      method === 'sam'
        ? dataParallelSamStep({ task, batch, share, reduce, base, learningRate: 0.01, perturbation })
        : dataParallelSgdStep({ task, batch, share, reduce, base, learningRate: 0.01 });
    const losses = step();
    allReduce.barrier();
    allReduce.time.waitMs = 0;
    allReduce.time.copyMs = 0;
    const tensorsBefore = tf.memory().numTensors;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const wallMs = (performance.now() - t0) / steps;
    const report: ReplicaReport = {
      rank,
      method,
      localBatch: size,
      wallMsPerStep: wallMs,
      exchangeWaitMsPerStep: allReduce.time.waitMs / steps,
      exchangeCopyMsPerStep: allReduce.time.copyMs / steps,
      reducesPerStep: method === 'sam' ? 2 : 1,
      trainableSha256: weightsHash(model.trainableVariables),
      stateSha256: weightsHash(model.stateVariables),
      firstStepMeanLoss: losses.reduce((a, b) => a + b, 0) / losses.length,
      wasmThreads: getThreadsCount(),
      tensorDelta: tf.memory().numTensors - tensorsBefore,
    };
    parentPort!.postMessage(report);
    perturbation.dispose();
    base.dispose();
  }
  task.disposeBatch(batch);
  model.dispose();
}

main().catch((error) => {
  // Rethrown asynchronously so the worker's 'error' event carries it to probe.ts.
  setImmediate(() => {
    throw error;
  });
});
