import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { activateThreadedWasm } from './threaded-wasm';
import { prepareWasmThreads, wasmThreadsFromEnvironment } from './wasm-threads-setting';

describe('wasmThreadsFromEnvironment', () => {
  it('is the cores (at most 8) when unset, empty or all, else an integer 1..8', () => {
    expect(wasmThreadsFromEnvironment(undefined, 4)).toBe(4);
    expect(wasmThreadsFromEnvironment(' ', 2)).toBe(2);
    expect(wasmThreadsFromEnvironment(undefined, 1)).toBe(1);
    expect(wasmThreadsFromEnvironment('1', 4)).toBe(1);
    expect(wasmThreadsFromEnvironment('3', 4)).toBe(3);
    expect(wasmThreadsFromEnvironment('all', 4)).toBe(4);
    expect(wasmThreadsFromEnvironment('all', 64)).toBe(8);
  });

  it('names the bad value and what it accepts', () => {
    for (const bad of ['0', '9', '1.5', 'two']) {
      expect(() => wasmThreadsFromEnvironment(bad, 2)).toThrow(`AUSAM_WASM_THREADS: expected an integer 1..8 or 'all', found '${bad}'`);
    }
  });
});

describe('activateThreadedWasm', () => {
  it('starts the threaded build with a pool of 2 under Node, computes what cpu computes, and puts the globals back', async () => {
    const blob = globalThis.Blob;
    const createObjectURL = URL.createObjectURL;
    const cores = os.cpus().length;
    const x = Array.from({ length: 2 * 9 * 9 * 8 }, (_, i) => Math.sin(i));
    const w = Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i));
    const conv = () => tf.tidy(() => Array.from(tf.conv2d(tf.tensor4d(x, [2, 9, 9, 8]), tf.tensor4d(w, [3, 3, 8, 16]), 1, 'same').dataSync()));
    await tf.setBackend('cpu');
    const expected = conv();

    expect(await activateThreadedWasm(2)).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
    const actual = conv();
    const scale = Math.max(...expected.map(Math.abs));
    actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-4 * scale));
    expect([globalThis.Blob, URL.createObjectURL, os.cpus().length]).toEqual([blob, createObjectURL, cores]);

    await expect(activateThreadedWasm(2)).rejects.toThrow('activateThreadedWasm: the wasm backend is already initialised in this process');
    // Once wasm runs, AUSAM_WASM_THREADS changes nothing (tfjs keeps its first instance).
    await expect(prepareWasmThreads('4')).resolves.toBe('2 threads (threaded SIMD build)');
    expect(getThreadsCount()).toBe(2);
  });

  it('rejects a pool size emscripten cannot hold', async () => {
    await expect(activateThreadedWasm(9)).rejects.toThrow('threads must be an integer in 1..8');
  });
});
