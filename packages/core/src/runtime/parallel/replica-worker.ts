import { parentPort, workerData } from 'node:worker_threads';
import { localPasses } from '../../passes/local-passes';
import type { Batch, Task } from '../../task/contracts';
import { selectBackend } from '../backend/select-backend';
import { unpackBatch } from './batch-transfer';
import type { PassRequest, ReplicaReply, ReplicaStartup, VariableShape } from './replica-messages';
import { buildReplicaTask } from './replica-recipe';
import { abortStatisticsExchange, ReplicaAbortedError, SharedStatisticsReducer, type StatisticsExchange } from './statistics-all-reduce';
import { registerTypescript } from './typescript-recipe';
import { flattenAndDispose, readVariables, writeVariables } from './variable-buffer';

/**
 * The body of a replica thread (started by {@link startReplicas}; not for direct use): builds the
 * task from its recipe, then answers each pass request with its slice's losses and gradients.
 * @internal
 */
export async function runReplicaWorker(): Promise<void> {
  const startup = workerData as ReplicaStartup;
  const signal = new Int32Array(startup.signal);
  const send = (reply: ReplicaReply, transfer: ArrayBuffer[] = []): void => {
    startup.reply.postMessage(reply, transfer);
    Atomics.add(signal, startup.rank, 1);
    Atomics.notify(signal, startup.rank);
  };
  // The main thread has already shown tfjs' "install tfjs-node" banner of the cpu backend.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
    warn(...args);
  };
  // A replica that dies mid-pass (process.exit in task code, an error thrown outside a pass) still
  // answers, so the main thread, blocked waiting for it, stops with the reason instead of hanging.
  let ended = false;
  const end = (message: string) => {
    if (ended) return;
    ended = true;
    abortStatisticsExchange(startup.statistics);
    send({ kind: 'failed', message });
  };
  process.on('exit', (code) => end(`the replica thread exited with code ${code}`));
  process.on('uncaughtException', (error) => {
    end(`the replica thread threw ${describe(error)}`);
    process.exit(1);
  });
  let task: Task<Batch>;
  try {
    // One wasm thread per replica: the replicas share the cores (`prepareRuntime`).
    await selectBackend({ force: startup.backend, threads: 1, log: () => {} });
    registerTypescript(startup.typescriptLoader);
    task = await buildReplicaTask(startup.recipe);
    checkShapes('trainable', task.model.trainableVariables, startup.trainable);
    checkShapes('state', task.model.stateVariables, startup.state);
  } catch (error) {
    send({ kind: 'failed', message: describe(error) });
    return;
  }
  send({ kind: 'ready' });
  parentPort!.on('message', (request: PassRequest) => {
    try {
      const { reply, transfer } = runPass(task, request, startup);
      send(reply, transfer);
    } catch (error) {
      // The others wait for this replica's statistics: wake them, so the pass ends with this message.
      const abandoned = error instanceof ReplicaAbortedError;
      if (!abandoned) abortStatisticsExchange(startup.statistics);
      send({ kind: 'failed', message: describe(error), abandoned });
    }
  });
}

function runPass(task: Task<Batch>, request: PassRequest, startup: ReplicaStartup): { reply: ReplicaReply; transfer: ArrayBuffer[] } {
  const { trainableVariables, stateVariables } = task.model;
  const offset = writeVariables(trainableVariables as never, request.weights);
  writeVariables(stateVariables as never, request.weights, offset);
  const batch = unpackBatch<Batch>(request.batch);
  const mode = { ...request.mode, batchStatistics: reducerFor(startup.statistics, startup, request) };
  try {
    let perSampleLoss: Float32Array;
    let gradients: Float32Array | undefined;
    if (request.withGradients) {
      const result = localPasses.lossAndGradients(task, batch, mode, request.sampleWeights);
      perSampleLoss = result.perSampleLoss;
      gradients = flattenAndDispose(result.gradients);
    } else {
      perSampleLoss = localPasses.perSampleLoss(task, batch, mode);
    }
    if (mode.batchStatistics.failure) throw mode.batchStatistics.failure;
    const state = request.mode.updateStatistics && stateVariables.length > 0 ? readVariables(stateVariables as never) : undefined;
    const transfer = [perSampleLoss, gradients, state].filter((a) => a !== undefined).map((a) => a!.buffer as ArrayBuffer);
    return { reply: { kind: 'result', perSampleLoss, gradients, state }, transfer };
  } finally {
    task.disposeBatch(batch);
  }
}

function reducerFor(exchange: StatisticsExchange, startup: ReplicaStartup, request: PassRequest): SharedStatisticsReducer {
  return new SharedStatisticsReducer(exchange, { ...request.reduction, rank: startup.rank, timeoutMs: startup.timeoutMs });
}

function checkShapes(kind: string, variables: readonly { shape: number[] }[], expected: VariableShape[]): void {
  const found = variables.map((v) => `[${v.shape.join(',')}]`).join(' ');
  const wanted = expected.map((v) => `[${v.shape.join(',')}]`).join(' ');
  if (found !== wanted) {
    throw new Error(`the recipe's task has ${variables.length} ${kind} variables of shapes ${found}; the main thread's has ${expected.length}: ${wanted}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
