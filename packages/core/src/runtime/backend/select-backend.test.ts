import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend';

describe('selectBackend', () => {
  // First, while nothing is chosen yet: this is where an invalid value used to read as "wasm
  // unavailable" and the automatic choice went on to cpu without a word.
  it('rejects an invalid AUSAM_WASM_THREADS value with the accepted ones instead of falling back to cpu', async () => {
    const before = tf.getBackend();
    const setting = process.env.AUSAM_WASM_THREADS;
    try {
      for (const bad of ['two', '0', '9', '2.5']) {
        process.env.AUSAM_WASM_THREADS = bad;
        const message = `AUSAM_WASM_THREADS: expected an integer 1..8 or 'all', found '${bad}'`;
        await expect(selectBackend({ log: () => {} })).rejects.toThrow(message);
        await expect(selectBackend({ force: 'wasm', log: () => {} })).rejects.toThrow(message);
      }
      expect(tf.getBackend()).toBe(before);
    } finally {
      process.env.AUSAM_WASM_THREADS = setting;
    }
  });

  it('falls back past the missing native binding to wasm and says why', async () => {
    const lines: string[] = [];
    const choice = await selectBackend({ log: (l) => lines.push(l) });
    // tfjs-node is an optional peer that cannot be installed on this machine.
    expect(['tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    if (choice.name === 'wasm') {
      expect(choice.reason).toMatch(/tfjs-node/);
      // jest.setup.js pins AUSAM_WASM_THREADS=1: the suite runs the single-threaded build.
      expect(choice.threads).toBe('1 thread');
    }
    expect(lines.join('\n')).toContain(`backend: ${choice.name}`);
  });

  it('honours a forced backend', async () => {
    const choice = await selectBackend({ force: 'cpu', log: () => {} });
    expect(choice).toEqual({ name: 'cpu', reason: 'forced by caller' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown AUSAM_BACKEND value with the accepted ones', async () => {
    process.env.AUSAM_BACKEND = 'gpu';
    try {
      await expect(selectBackend({ log: () => {} })).rejects.toThrow(/expected one of tensorflow, wasm, cpu; found 'gpu'/);
    } finally {
      delete process.env.AUSAM_BACKEND;
    }
  });

});
