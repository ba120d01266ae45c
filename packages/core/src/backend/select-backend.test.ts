import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend';

describe('selectBackend', () => {
  it('falls back past the missing native binding to wasm and says why', async () => {
    const lines: string[] = [];
    const choice = await selectBackend({ log: (l) => lines.push(l) });
    // tfjs-node is an optional peer that cannot be installed on this machine.
    expect(['tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    if (choice.name === 'wasm') expect(choice.reason).toMatch(/tfjs-node/);
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
