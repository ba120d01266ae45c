/**
 * Data-parallel probe (issue #14, route 2): N worker_threads replicas, each with its own
 * single-threaded wasm backend and b/N of the batch, gradients summed through a SharedArrayBuffer.
 * Prints one JSON line per method: images/s of the whole batch, ms/step, ms/step in the exchange,
 * and whether the trainable weights are bit-identical across replicas after the steps.
 *
 *   npx tsx tools/bench/throughput/data-parallel/probe.ts --replicas 2 --methods sgd,sam --batch 128 --steps 5
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '@ausam/classification';
import { createAllReduceBuffers } from './shared-all-reduce';
import type { ReplicaInput, ReplicaReport } from './replica-worker';

/** One probe measurement (one method, one replica count), as printed. */
export interface DataParallelMeasurement {
  readonly impl: 'data-parallel';
  readonly model: 'resnet-small';
  readonly method: 'sgd' | 'sam';
  readonly replicas: number;
  readonly batch: number;
  readonly imagesPerSec: number;
  /** Slowest replica's ms per step. */
  readonly wallMsPerStep: number;
  /** Mean over replicas of ms per step inside the all-reduce (wait + copy). */
  readonly exchangeMsPerStep: number;
  readonly exchangeWaitMsPerStep: number;
  readonly exchangeCopyMsPerStep: number;
  readonly trainableIdentical: boolean;
  readonly trainableSha256: string[];
  readonly stateIdentical: boolean;
  readonly firstStepMeanLoss: number;
  /** XNNPACK pool of each replica's wasm backend (1 = single-threaded build). */
  readonly wasmThreadsPerReplica: number[];
  /** Per replica: live tensors after the timed steps minus after warm-up (0 = no leak). */
  readonly tensorDelta: number[];
}

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || process.argv[i + 1] === undefined) throw new Error(`probe: --${name} is required`);
  return process.argv[i + 1];
}

/** Float count of resnet-small's trainable variables (built once on the cpu backend). */
async function parameterCount(): Promise<number> {
  await tf.setBackend('cpu');
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 });
  const count = model.trainableVariables.reduce((sum, v) => sum + v.size, 0);
  model.dispose();
  return count;
}

/**
 * Starts a TypeScript worker under tsx's CommonJS hook (`--import tsx` in `execArgv` fails in Node 20
 * workers: unknown extension .ts). `AUSAM_WASM_THREADS=1`: core's default is one XNNPACK thread per
 * core, and each replica must run tfjs' single-threaded SIMD build.
 */
function startWorker(file: string, data: ReplicaInput): Worker {
  const source = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
  return new Worker(source, { eval: true, workerData: data, env: { ...process.env, AUSAM_WASM_THREADS: '1' } });
}

/** Runs the replicas and collects `methods.length` reports from each; terminates them all. */
async function runReplicas(input: Omit<ReplicaInput, 'rank'>): Promise<ReplicaReport[]> {
  const file = path.join(__dirname, 'replica-worker.ts');
  const workers = Array.from({ length: input.replicas }, (_, rank) => startWorker(file, { ...input, rank }));
  const expected = input.replicas * input.methods.length;
  try {
    return await new Promise<ReplicaReport[]>((resolve, reject) => {
      const reports: ReplicaReport[] = [];
      for (const worker of workers) {
        worker.on('message', (report: ReplicaReport) => {
          reports.push(report);
          if (reports.length === expected) resolve(reports);
        });
        // A dead replica leaves the others blocked in the barrier: fail and terminate them all.
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (reports.length < expected) reject(new Error(`replica exited with code ${code} before reporting`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function main(): Promise<void> {
  const replicas = Number(flag('replicas'));
  const methods = flag('methods').split(',') as ('sgd' | 'sam')[];
  for (const m of methods) if (m !== 'sgd' && m !== 'sam') throw new Error(`probe --methods: unknown '${m}'`);
  const batch = Number(flag('batch'));
  const steps = Number(flag('steps'));
  const buffers = createAllReduceBuffers(replicas, await parameterCount());
  const reports = await runReplicas({ replicas, methods, batchSize: batch, steps, buffers });
  for (const method of methods) {
    const mine = reports.filter((r) => r.method === method).sort((a, b) => a.rank - b.rank);
    const mean = (f: (r: ReplicaReport) => number) => mine.reduce((s, r) => s + f(r), 0) / mine.length;
    const wallMsPerStep = Math.max(...mine.map((r) => r.wallMsPerStep));
    const measurement: DataParallelMeasurement = {
      impl: 'data-parallel',
      model: 'resnet-small',
      method,
      replicas,
      batch,
      imagesPerSec: (1000 * batch) / wallMsPerStep,
      wallMsPerStep,
      exchangeMsPerStep: mean((r) => r.exchangeWaitMsPerStep + r.exchangeCopyMsPerStep),
      exchangeWaitMsPerStep: mean((r) => r.exchangeWaitMsPerStep),
      exchangeCopyMsPerStep: mean((r) => r.exchangeCopyMsPerStep),
      trainableIdentical: mine.every((r) => r.trainableSha256 === mine[0].trainableSha256),
      trainableSha256: mine.map((r) => r.trainableSha256.slice(0, 16)),
      stateIdentical: mine.every((r) => r.stateSha256 === mine[0].stateSha256),
      firstStepMeanLoss: mine.reduce((s, r) => s + r.firstStepMeanLoss * r.localBatch, 0) / batch,
      wasmThreadsPerReplica: mine.map((r) => r.wasmThreads),
      tensorDelta: mine.map((r) => r.tensorDelta),
    };
    console.log(JSON.stringify(measurement));
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
