import { childWasmThreads, deserializeRuns, serializeRuns } from './parallel';
import type { MethodRun } from './run-methods';

describe('runs passed from a --jobs child to its parent', () => {
  it('survive JSON with their probability arrays as Float32Array', () => {
    const values = Float32Array.from([0.25, 1, 3.5]);
    const original: MethodRun = {
      label: 'ausam@0.5',
      spec: { method: 'ausam', rho: 0.05, ratio: 0.5 },
      seed: 1,
      headline: 0.9,
      finalTrainLoss: 0.3,
      final: { test: { accuracy: 0.9, loss: 0.31 } },
      trainSeconds: 10,
      wallSeconds: 11,
      samplesPerSecond: 600,
      fractionOfSamWork: 0.547,
      samplerSeconds: 0.01,
      curve: [{ epoch: 1, seconds: 10, value: 0.9 }],
      probabilityRatios: [{ epoch: 2, fMaxCeiling: 0.2, values }],
    };
    const [copy] = deserializeRuns(serializeRuns([original]));
    expect(copy.probabilityRatios?.[0].values).toBeInstanceOf(Float32Array);
    expect(Array.from(copy.probabilityRatios?.[0].values ?? [])).toEqual([0.25, 1, 3.5]);
    expect({ ...copy, probabilityRatios: undefined }).toEqual({ ...original, probabilityRatios: undefined });
  });
});

describe('childWasmThreads', () => {
  it('shares the cores out between the jobs unless AUSAM_WASM_THREADS is set', () => {
    expect(childWasmThreads(undefined, 2, 2)).toBe('1');
    expect(childWasmThreads(undefined, 8, 3)).toBe('2');
    expect(childWasmThreads('', 8, 1)).toBe('8');
    expect(childWasmThreads(undefined, 2, 4)).toBe('1');
    expect(childWasmThreads('all', 2, 2)).toBe('all');
    expect(childWasmThreads('3', 8, 2)).toBe('3');
  });
});
