import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { prepareWasmThreads } from './wasm-threads-setting';

// The threaded build failing to start, as it would where Node's Worker or SharedArrayBuffer is
// missing: it leaves tfjs' flag forced on, like the real activateThreadedWasm does when it throws.
jest.mock('./threaded-wasm', () => ({
  activateThreadedWasm: jest.fn(async () => {
    (jest.requireActual('@tensorflow/tfjs-core') as typeof tf).env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    throw new Error('no Worker here');
  }),
}));

describe('prepareWasmThreads when the threaded build cannot start', () => {
  it('throws for an explicit AUSAM_WASM_THREADS > 1', async () => {
    await expect(prepareWasmThreads('2')).rejects.toThrow('no Worker here');
  });

  it('falls back to the single-threaded build by default and says why', async () => {
    const setting = process.env.AUSAM_WASM_THREADS;
    delete process.env.AUSAM_WASM_THREADS;
    const note = await prepareWasmThreads().finally(() => (process.env.AUSAM_WASM_THREADS = setting));
    if (os.availableParallelism() === 1) {
      expect(note).toBe('1 thread');
    } else {
      expect(note).toBe('1 thread: the threaded build did not start (no Worker here); AUSAM_WASM_THREADS=1 skips trying');
    }
    registerWasmTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(getThreadsCount()).toBe(1);
    expect(tf.tidy(() => Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()))).toEqual([4, 6]);
  });
});
