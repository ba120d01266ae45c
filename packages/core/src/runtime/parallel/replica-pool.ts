import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { localPasses } from '../../passes/local-passes';
import type { LossAndGradients, Passes } from '../../passes/passes';
import type { Batch, ForwardMode, Task } from '../../task/contracts';
import type { BackendName } from '../backend/select-backend';
import { packBatch } from './batch-transfer';
import { checkReplicaCount } from './replica-count';
import type { PassRequest, ReplicaReply, ReplicaStartup } from './replica-messages';
import type { ReplicaRecipe } from './replica-recipe';
import { splitPositions } from './split-batch';
import { averageState } from './state-average';
import {
  abortStatisticsExchange,
  createStatisticsExchange,
  ReplicaAbortedError,
  SharedStatisticsReducer,
  statisticsExchangeAborted,
  type StatisticsExchange,
} from './statistics-all-reduce';
import { typescriptLoaderFor } from './typescript-recipe';
import { readVariables, writeVariables } from './variable-buffer';

export interface ReplicaOptions {
  /** Replicas in all, the main thread included: 2 on a 2-core machine. 1 starts no thread. */
  readonly replicas: number;
  /** How each replica thread builds its copy of the task. */
  readonly recipe: ReplicaRecipe;
  /**
   * The run's batch size: with it (as every CLI run gives it), more replicas than samples per batch or
   * than cores are refused before any thread starts (see `checkReplicaCount`); without it the count
   * is not capped (tests of the split itself run 3 replicas on any machine).
   */
  readonly batchSize?: number;
  /** A replica that has not answered a pass (or started) after this long stops the run. Default 600. */
  readonly timeoutSeconds?: number;
}

/**
 * Data-parallel replicas of a task, from {@link startReplicas}: the {@link Passes} that split each
 * pass of that task across them (hand them to `train()` or to an optimizer's step).
 */
export interface Replicas extends Passes {
  /** Replicas in all, the main thread included. */
  readonly count: number;
  /** Stops the replica threads; passes after it throw. */
  close(): Promise<void>;
}

type Reply<K extends ReplicaReply['kind']> = Extract<ReplicaReply, { kind: K }>;

interface Replica {
  readonly rank: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  /** Replies counted so far on `signal[rank]`. */
  received: number;
  /** Set (between passes) when the thread exits or throws outside a pass. */
  death?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 600;
/** tfjs-node is left out: its native kernels already use every core, and it is untested in worker threads. */
const BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/**
 * Starts `replicas − 1` `worker_threads` replicas of `task` (each with its own tfjs backend, the
 * main thread's, wasm with one thread, or cpu) and returns the passes that split `task`'s
 * `lossAndGradients` / `perSampleLoss` across them until `close()`. Each pass splits the batch
 * into contiguous slices (the main thread computes the first), sends the current trainable and
 * state variables with each slice, and combines: per-sample losses concatenated in batch order, gradients summed in rank
 * order weighted by slice size (so the result is L = (1/b)·Σ wᵢℓᵢ's gradient, deterministic for a
 * given replica count), and, after a pass that updates statistics, the state variables averaged
 * weighted by slice size. Core's BatchNorm uses the whole batch's statistics, forward and backward
 * (SyncBatchNorm): each pass's `mode.batchStatistics` sums them across the replicas, so the run
 * equals one thread's up to float summation order (docs/backends.md, "Data-parallel replicas").
 * Running statistics then move identically on every replica. Optimizers, samplers, checkpoints and
 * resume are unchanged: they all live in the main thread.
 */
export async function startReplicas<B extends Batch>(task: Task<B>, options: ReplicaOptions): Promise<Replicas> {
  const count = options.replicas;
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`replicas must be a positive integer, found ${count}`);
  if (count > 1 && options.batchSize !== undefined) checkReplicaCount(count, options.batchSize);
  const backend = tf.getBackend() as BackendName;
  if (count > 1 && !BACKENDS.includes(backend)) {
    throw new Error(`replicas: expected the ${BACKENDS.join(' or ')} backend, found '${backend}' (data-parallel replicas are for wasm; tfjs-node already uses every core)`);
  }
  const timeoutMs = 1000 * (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
  const typescriptLoader = count > 1 ? typescriptLoaderFor(options.recipe.module) : undefined;
  const signal = new Int32Array(new SharedArrayBuffer(4 * count));
  // BatchNorm posts 2 values per channel (Σ dy, Σ dy·x̄) or one per channel and a count; its
  // running mean is a state variable of `channels` values.
  const widestState = Math.max(0, ...task.model.stateVariables.map((v) => v.size));
  const statistics = createStatisticsExchange(count, 2 * widestState + 1);
  const shapes = (variables: readonly tf.Variable[]) => variables.map((v) => ({ name: v.name, shape: v.shape.slice() }));
  const replicas: Replica[] = [];
  for (let rank = 1; rank < count; rank++) {
    const channel = new MessageChannel();
    const startup: ReplicaStartup = {
      rank,
      recipe: options.recipe,
      typescriptLoader,
      backend,
      trainable: shapes(task.model.trainableVariables),
      state: shapes(task.model.stateVariables),
      signal: signal.buffer as SharedArrayBuffer,
      reply: channel.port2,
      statistics,
      timeoutMs,
    };
    const worker = new Worker(workerSource(), { eval: true, workerData: startup, transferList: [channel.port2] });
    const replica: Replica = { rank, worker, port: channel.port1, received: 0 };
    worker.on('error', (error) => (replica.death ??= `threw ${error.stack ?? error.message}`));
    worker.on('exit', (code) => (replica.death ??= `exited with code ${code}`));
    replicas.push(replica);
  }
  const pool = new ReplicaPool(task, count, replicas, signal, statistics, timeoutMs);
  try {
    for (const replica of replicas) await pool.awaitReady(replica);
  } catch (error) {
    await pool.terminate();
    throw error;
  }
  return pool;
}

class ReplicaPool implements Replicas {
  private closed = false;
  /** All-reduce rounds of the passes so far (every pass that splits includes this thread). */
  private statisticsRounds = 0;

  constructor(
    /** The task the replicas copied: passes of any other task are refused. */
    private readonly task: object,
    readonly count: number,
    private readonly replicas: Replica[],
    private readonly signal: Int32Array,
    private readonly statistics: StatisticsExchange,
    private readonly timeoutMs: number,
  ) {}

  lossAndGradients<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode, sampleWeights?: Float32Array): LossAndGradients {
    return this.run(task, batch, mode, true, sampleWeights) as LossAndGradients;
  }

  perSampleLoss<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array {
    return this.run(task, batch, mode, false).perSampleLoss;
  }

  close(): Promise<void> {
    return this.terminate();
  }

  private run<B extends Batch>(
    task: Task<B>,
    batch: B,
    mode: ForwardMode,
    withGradients: boolean,
    sampleWeights?: Float32Array,
  ): { perSampleLoss: Float32Array; gradients?: tf.Tensor[] } {
    if (this.closed) throw new Error('data-parallel replicas: a pass after close()');
    if (task !== this.task) throw new Error(`data-parallel replicas: started for another task than '${task.name}' (start replicas for each task)`);
    const runs = splitPositions(batch.ids.length, this.count);
    const here = (slice: B, sliceMode: ForwardMode, weights?: Float32Array) =>
      withGradients ? localPasses.lossAndGradients(task, slice, sliceMode, weights) : { perSampleLoss: localPasses.perSampleLoss(task, slice, sliceMode) };
    if (runs.length <= 1) return here(batch, mode, sampleWeights);
    for (const replica of this.replicas) if (replica.death) throw new Error(`data-parallel replica ${replica.rank} ${replica.death}`);
    if (statisticsExchangeAborted(this.statistics)) throw new Error('data-parallel replicas: a pass after one that failed (start new replicas)');

    const { trainableVariables: trainable, stateVariables: state } = task.model;
    const weights = readVariables([...trainable, ...state] as tf.Variable[]);
    const weightsOf = (run: Int32Array) => sampleWeights?.slice(run[0], run[0] + run.length);
    const plainMode: ForwardMode = { training: mode.training, updateStatistics: mode.updateStatistics };
    const reductionOf = (run: Int32Array) => ({ participants: runs.length, roundsBefore: this.statisticsRounds, lossShare: run.length / batch.ids.length });
    const posted: Replica[] = [];
    let local: { perSampleLoss: Float32Array; gradients?: tf.Tensor[] } | undefined;
    const failures: unknown[] = [];
    try {
      for (let r = 1; r < runs.length; r++) {
        const slice = task.selectSamples(batch, runs[r]);
        let request: PassRequest;
        let transfer: ArrayBuffer[];
        try {
          const packed = packBatch(slice);
          request = { kind: 'pass', mode: plainMode, reduction: reductionOf(runs[r]), withGradients, weights: weights.slice(), batch: packed.packed, sampleWeights: weightsOf(runs[r]) };
          transfer = [...packed.transfer, request.weights.buffer as ArrayBuffer];
        } finally {
          task.disposeBatch(slice);
        }
        this.replicas[r - 1].worker.postMessage(request, transfer);
        posted.push(this.replicas[r - 1]);
      }
      const reducer = new SharedStatisticsReducer(this.statistics, { ...reductionOf(runs[0]), rank: 0, timeoutMs: this.timeoutMs });
      const first = task.selectSamples(batch, runs[0]);
      try {
        local = here(first, { ...plainMode, batchStatistics: reducer }, weightsOf(runs[0]));
      } finally {
        task.disposeBatch(first);
        this.statisticsRounds = reducer.rounds;
      }
      if (reducer.failure) throw reducer.failure;
    } catch (error) {
      failures.push(error);
      // Replicas blocked in BatchNorm's all-reduce, waiting for this thread, stop with it.
      if (!(error instanceof ReplicaAbortedError)) abortStatisticsExchange(this.statistics);
    }
    // Every posted pass is answered before anything is thrown, so no stale reply is left queued.
    const replies: Reply<'result'>[] = [];
    for (const replica of posted) {
      try {
        replies.push(this.awaitReply(replica, 'result'));
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      for (const g of local?.gradients ?? []) g.dispose();
      // The replica whose pass failed says why; the others only say they stopped for it.
      throw failures.find((error) => !(error instanceof ReplicaAbortedError)) ?? failures[0];
    }
    const fractions = runs.map((run) => run.length / batch.ids.length);
    const perSampleLoss = new Float32Array(batch.ids.length);
    perSampleLoss.set(local!.perSampleLoss, 0);
    replies.forEach((reply, k) => perSampleLoss.set(reply.perSampleLoss, runs[k + 1][0]));
    const gradients = withGradients ? combineGradients(trainable as tf.Variable[], local!.gradients!, replies, fractions) : undefined;
    if (mode.updateStatistics && state.length > 0) averageState(state as tf.Variable[], replies.map((reply) => reply.state!), fractions);
    return { perSampleLoss, gradients };
  }

  /** Start-up: waits (without blocking the event loop) for the replica's first reply. */
  async awaitReady(replica: Replica): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(this.signal, replica.rank) === replica.received) {
      if (replica.death) throw new Error(`data-parallel replica ${replica.rank} ${replica.death} while starting`);
      if (Date.now() > deadline) throw new Error(`data-parallel replica ${replica.rank} did not start within ${this.timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.take(replica, 'ready');
  }

  /** During a pass: blocks this thread until the replica answers (a pass is synchronous). */
  private awaitReply(replica: Replica, kind: 'result'): Reply<'result'> {
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(this.signal, replica.rank) === replica.received) {
      if (Date.now() > deadline) {
        throw new Error(
          `data-parallel replica ${replica.rank} did not answer a pass within ${this.timeoutMs / 1000} s (if it crashed, its error is on stderr)`,
        );
      }
      Atomics.wait(this.signal, replica.rank, replica.received, 1000);
    }
    return this.take(replica, kind);
  }

  private take<K extends 'ready' | 'result'>(replica: Replica, kind: K): Reply<K> {
    replica.received++;
    const reply = receiveMessageOnPort(replica.port)?.message as ReplicaReply | undefined;
    if (reply === undefined) throw new Error(`data-parallel replica ${replica.rank}: signalled a reply but none was queued`);
    if (reply.kind === 'failed') {
      throw reply.abandoned ? new ReplicaAbortedError() : new Error(`data-parallel replica ${replica.rank} failed: ${reply.message}`);
    }
    if (reply.kind !== kind) throw new Error(`data-parallel replica ${replica.rank}: expected a '${kind}' reply, found '${reply.kind}'`);
    return reply as Reply<K>;
  }

  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
    for (const r of this.replicas) r.port.close();
  }
}

/** Σ_r fraction_r · g_r per variable, in rank order; disposes the main thread's `local`. */
function combineGradients(variables: tf.Variable[], local: tf.Tensor[], replies: Reply<'result'>[], fractions: number[]): tf.Tensor[] {
  let offset = 0;
  const out = variables.map((v, i) => {
    const start = offset;
    offset += v.size;
    return tf.tidy(() => {
      let sum = tf.mul(local[i], fractions[0]);
      replies.forEach((reply, k) => {
        const slice = tf.tensor(reply.gradients!.subarray(start, start + v.size), v.shape, 'float32');
        sum = tf.add(sum, tf.mul(slice, fractions[k + 1]));
      });
      return sum;
    });
  });
  for (const g of local) g.dispose();
  return out;
}

/**
 * The replica thread's script: core's sources under tsx when this module runs from source (tests,
 * tsx scripts), else the built package's CommonJS internal entry beside this bundle.
 */
function workerSource(): string {
  if (__filename.endsWith('.ts')) {
    const entry = path.join(__dirname, 'replica-worker.ts');
    return `require('tsx/cjs/api').register(); require(${JSON.stringify(entry)}).runReplicaWorker();`;
  }
  return `require(${JSON.stringify(path.join(__dirname, 'internal.js'))}).runReplicaWorker();`;
}
