import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { activateThreadedWasm } from './threaded-wasm';

/** emscripten's pthread pool in tfjs-backend-wasm 4.22 holds 8 workers. */
const MAX_WASM_THREADS = 8;

/**
 * XNNPACK threads the wasm backend should use, from `AUSAM_WASM_THREADS`: an integer 1..8 (`1` =
 * tfjs' single-threaded SIMD build), or `all`; unset or empty = `all`, the machine's cores, at most 8.
 */
export function wasmThreadsFromEnvironment(value: string | undefined, cores = os.availableParallelism()): number {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'all') return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`AUSAM_WASM_THREADS: expected an integer 1..${MAX_WASM_THREADS} or 'all', found '${value}'`);
  }
  return n;
}

/**
 * Called before the wasm backend is activated: with more than one thread (`AUSAM_WASM_THREADS`, by
 * default the machine's cores), starts the threaded SIMD build with that pool (see
 * {@link activateThreadedWasm}). Returns what the backend line should say about threads.
 *
 * When the default asked for threads and the threaded build fails to start, wasm falls back to the
 * single-threaded build and the returned text says why; an explicit `AUSAM_WASM_THREADS` > 1 that
 * cannot be honoured throws. Once wasm is initialised in this process it changes nothing (tfjs keeps
 * its first instance) and reports that instance's pool.
 */
export async function prepareWasmThreads(value = process.env.AUSAM_WASM_THREADS): Promise<string> {
  const threads = wasmThreadsFromEnvironment(value);
  const explicit = value !== undefined && value.trim() !== '';
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (engine.registry.wasm) return threadsLabel(wasm.getThreadsCount());
  if (threads === 1) return threadsLabel(1);
  try {
    return threadsLabel(await activateThreadedWasm(threads));
  } catch (error) {
    if (explicit) throw error;
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `1 thread: the threaded build did not start (${reason}); AUSAM_WASM_THREADS=1 skips trying`;
  }
}

function threadsLabel(threads: number): string {
  return threads === 1 ? '1 thread' : `${threads} threads (threaded SIMD build)`;
}
