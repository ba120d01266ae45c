import * as fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasm-kernels';

/**
 * Starts tfjs-backend-wasm's threaded SIMD build under Node with an XNNPACK pool of `threads`
 * threads, and returns the pool size wasm reports (`getThreadsCount()`).
 *
 * tfjs-backend-wasm 4.22 never picks that build under Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false
 * when `IS_NODE`, tfjs#3830), and forcing the flag is not enough, for three reasons this works around
 * while the backend initialises (all three patches are undone before it returns):
 * - emscripten starts its pthread workers (a pool of 8, made at start-up) from `blob:` URLs, which
 *   Node's `Worker` rejects: `Blob` and `URL.createObjectURL` are replaced by versions that write
 *   the scripts to a temporary directory and hand out their paths;
 * - the worker evaluates the bundle's threaded factory source, which refers to names of the bundle
 *   (`require$$0`…, `commonjsGlobal`, `_scriptDir`): the worker script gets a prelude defining them;
 * - the C++ side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two hardware
 *   threads per core), which is 1 on a 2-core machine whatever `setThreadsCount` asked for; under
 *   Node that count is `os.cpus().length`, so `os.cpus` reports `2 × threads` entries during start-up.
 *
 * Must run before anything initialises the wasm backend in this process (tfjs keeps the first
 * instance); throws otherwise. Registers core's training kernels first, as `selectBackend` does,
 * so a later `selectBackend({ force: 'wasm' })` finds this backend ready. An opt-in path that tfjs
 * does not support.
 */
export async function activateThreadedWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new RangeError(`activateThreadedWasm: threads must be an integer in 1..8 (emscripten's pool holds 8), found ${threads}`);
  }
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (engine.registry.wasm) throw new Error('activateThreadedWasm: the wasm backend is already initialised in this process');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-wasm-threads-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const write = (text: string) => {
    const file = path.join(dir, `script-${files++}.js`);
    fs.writeFileSync(file, text);
    return file;
  };

  const restore: Array<() => void> = [];
  const patch = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]) => {
    const original = target[key];
    target[key] = value;
    restore.push(() => (target[key] = original));
  };
  // A Blob of strings written to a file at once: its path travels to the workers (structured clone
  // keeps the own property) and `URL.createObjectURL` resolves it on either side.
  class FileBlob {
    readonly ausamPath: string;
    readonly text: string;
    constructor(parts: unknown[]) {
      this.text = parts.map(String).join('');
      this.ausamPath = write(this.text);
    }
  }
  const cpus = os.cpus();
  try {
    patch(globalThis as Record<string, unknown>, 'Blob', FileBlob);
    // The main thread only asks for an URL of the worker script: give it the prelude.
    patch(URL, 'createObjectURL', ((blob: FileBlob) => write(WORKER_PRELUDE + blob.text)) as unknown as typeof URL.createObjectURL);
    patch(URL, 'revokeObjectURL', () => {});
    patch(os, 'cpus', () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]));
    registerWasmTrainingKernels();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('activateThreadedWasm: tf.setBackend("wasm") returned false');
    await tf.ready();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  // emscripten unrefs idle pool workers, not the ones running XNNPACK's pool threads, which would
  // keep Node (and jest) alive after the work is done.
  const module = (tf.findBackend('wasm') as unknown as { wasm: { PThread: { runningWorkers: Array<{ unref(): void }> } } }).wasm;
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return wasm.getThreadsCount();
}

/** Runs in each pthread worker before emscripten's worker script. */
const WORKER_PRELUDE = `
globalThis.require$$0 = require('fs');
globalThis.require$$1 = require('path');
globalThis.require$$3 = require('perf_hooks');
globalThis.require$$4 = require('os');
globalThis.commonjsGlobal = globalThis;
globalThis._scriptDir = __filename;
URL.createObjectURL = (blob) => blob.ausamPath;
URL.revokeObjectURL = () => {};
`;
