import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './register-gradients';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { prepareWasmThreads, wasmThreadsFromEnvironment } from './wasm-threads-setting';
import { nativeVariant } from './wasm-kernels/native/build-variant';

/** Backends core can train on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  readonly name: BackendName;
  /** Why this one: forced by AUSAM_BACKEND, or which faster ones were unavailable. */
  readonly reason: string;
  /** wasm only: its XNNPACK thread pool, e.g. `2 threads (threaded SIMD build)` (`AUSAM_WASM_THREADS`). */
  readonly threads?: string;
}

export interface SelectBackendOptions {
  /** This backend, or fail; default `AUSAM_BACKEND`, else the fastest that loads. */
  readonly force?: BackendName;
  /** wasm's XNNPACK threads, 1..8; default `AUSAM_WASM_THREADS`, else every core (at most 8). */
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

const nativeBindings = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let chosen: BackendChoice | undefined;

/**
 * Picks and activates the backend: `tensorflow` (tfjs-node-gpu, then tfjs-node, when installed and
 * loadable), else `wasm` (with core's training kernels registered), else `cpu`.
 * `AUSAM_BACKEND=tensorflow|wasm|cpu` (or `options.force`) forces one and fails loudly if it cannot
 * load. An invalid `AUSAM_BACKEND` or `AUSAM_WASM_THREADS` throws before anything is activated.
 * `options.threads` (else `AUSAM_WASM_THREADS`, else every core) sizes wasm's thread pool. The
 * choice is logged once (pass `log: () => {}` to silence it). Also registers tfjs-core's gradients.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? ((line: string) => console.error(line));
  const forced = options.force ?? parseForced(process.env.AUSAM_BACKEND);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1 && options.threads <= 8)) {
    throw new RangeError(`selectBackend: threads must be an integer 1..8, found ${options.threads}`);
  }
  const threadsSetting = options.threads !== undefined ? String(options.threads) : process.env.AUSAM_WASM_THREADS;
  // Checked here, not when wasm is tried: tryActivate turns every error into "wasm unavailable",
  // and the automatic choice would go on to cpu with a mistyped setting.
  wasmThreadsFromEnvironment(threadsSetting);
  if (chosen && (!forced || forced === chosen.name) && tf.getBackend() === chosen.name) return chosen;

  const skipped: string[] = [];
  const candidates: BackendName[] = forced ? [forced] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of candidates) {
    const { failure, threads } = await tryActivate(name, threadsSetting);
    if (failure === undefined) {
      const reason = forced
        ? `forced by ${options.force ? 'caller' : 'AUSAM_BACKEND'}`
        : skipped.length === 0
          ? 'fastest available'
          : `fastest available (${skipped.join('; ')})`;
      chosen = threads === undefined ? { name, reason } : { name, reason, threads };
      log(`[ausam] backend: ${name}${threads === undefined ? '' : `, ${threads}`} — ${reason}`);
      return chosen;
    }
    if (forced) throw new Error(`AUSAM_BACKEND=${forced} requested but it could not be activated: ${failure}`);
    skipped.push(`${name}: ${failure}`);
  }
  throw new Error(`no tfjs backend could be activated: ${skipped.join('; ')}`);
}

function parseForced(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  throw new Error(`AUSAM_BACKEND: expected one of tensorflow, wasm, cpu; found '${value}'`);
}

/** `failure` is undefined on success, else why the backend could not be used. */
async function tryActivate(name: BackendName, threadsSetting: string | undefined): Promise<{ failure?: string; threads?: string }> {
  try {
    if (name === 'tensorflow') {
      const loaded = await loadNativeBinding();
      if (loaded !== undefined) return { failure: loaded };
    }
    let threads: string | undefined;
    if (name === 'wasm') {
      registerWasmTrainingKernels();
      // More than one thread (the default on a multi-core machine): tfjs-backend-wasm's threaded
      // SIMD build (docs/backends.md, Threads).
      threads = await prepareWasmThreads(threadsSetting);
      if (nativeVariant() === 'relaxed-simd') threads += ', Relaxed SIMD kernels';
    }
    const ok = await tf.setBackend(name);
    if (!ok) return { failure: 'setBackend returned false' };
    await tf.ready();
    return { threads };
  } catch (error) {
    return { failure: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

async function loadNativeBinding(): Promise<string | undefined> {
  const failures: string[] = [];
  for (const pkg of nativeBindings) {
    try {
      // A variable specifier keeps bundlers from resolving the optional peer at build time.
      const specifier: string = pkg;
      await import(specifier);
      if (tf.findBackend('tensorflow')) return undefined;
      failures.push(`${pkg} loaded but registered no 'tensorflow' backend`);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      failures.push(/Cannot find (module|package)/.test(message) ? `${pkg} not installed` : `${pkg}: ${message}`);
    }
  }
  return failures.join(', ');
}
