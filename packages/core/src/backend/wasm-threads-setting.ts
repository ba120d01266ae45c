import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { activateThreadedWasm } from './threaded-wasm';

/** emscripten's pthread pool in tfjs-backend-wasm 4.22 holds 8 workers. */
const MAX_WASM_THREADS = 8;

/**
 * XNNPACK threads the wasm backend should use, from `AUSAM_WASM_THREADS`: unset or empty = 1 (tfjs'
 * single-threaded SIMD build, the default), an integer 1..8, or `all` (the machine's cores, at most 8).
 */
export function wasmThreadsFromEnvironment(value: string | undefined, cores = os.cpus().length): number {
  if (value === undefined || value.trim() === '') return 1;
  const text = value.trim();
  const n = text === 'all' ? Math.min(cores, MAX_WASM_THREADS) : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`AUSAM_WASM_THREADS: expected an integer 1..${MAX_WASM_THREADS} or 'all', found '${value}'`);
  }
  return n;
}

/**
 * Called before the wasm backend is activated: with `AUSAM_WASM_THREADS` > 1, starts the threaded
 * SIMD build with that pool (see {@link activateThreadedWasm}); otherwise does nothing. Also does
 * nothing once wasm is initialised in this process (tfjs keeps its first instance).
 */
export async function prepareWasmThreads(value = process.env.AUSAM_WASM_THREADS): Promise<void> {
  const threads = wasmThreadsFromEnvironment(value);
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (threads > 1 && !engine.registry.wasm) await activateThreadedWasm(threads);
}
