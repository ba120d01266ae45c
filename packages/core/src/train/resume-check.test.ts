import { compareRunConfigs, flattenConfig, ResumeMismatchError } from './resume-check';

const run = {
  name: 'fixture',
  method: { method: 'ausam', rho: 0.05, base: { kind: 'sgd', momentum: 0.9 } },
  learningRate: { kind: 'multistep', lr: 0.1, milestones: [2, 4] },
  epochs: 4,
  batchSize: 32,
  seed: 1,
  outputDir: 'runs/a',
  evaluateEvery: 1,
};

describe('resume config comparison', () => {
  it('flattens nested objects and arrays to dotted paths with JSON leaves', () => {
    expect(Object.fromEntries(flattenConfig({ a: { b: [1, 'x'], c: null, d: {}, e: undefined }, f: true }))).toEqual({
      'a.b.0': '1',
      'a.b.1': '"x"',
      'a.c': 'null',
      'a.d': '{}',
      f: 'true',
    });
  });

  it('names every trajectory-changing key with its old and new value', () => {
    const changed = { ...run, method: { ...run.method, method: 'sam', base: { kind: 'sgd' } }, learningRate: { ...run.learningRate, lr: 0.2 }, seed: 7 };
    expect(compareRunConfigs(run, changed)).toEqual([
      { key: 'learningRate.lr', saved: '0.1', current: '0.2' },
      { key: 'method.base.momentum', saved: '0.9', current: '(absent)' },
      { key: 'method.method', saved: '"ausam"', current: '"sam"' },
      { key: 'seed', saved: '1', current: '7' },
    ]);
    const error = new ResumeMismatchError('runs/a', 'runs/a/checkpoint.ausam', compareRunConfigs(run, { ...run, seed: 7 }));
    expect(error.message).toBe(
      'runs/a: cannot resume: the config differs from the one runs/a/checkpoint.ausam was trained with, in what changes the run:\n' +
        '  - seed: 1 in the run, 7 now\n' +
        "resume with the run's settings, or start a new run in another folder (or replace this one with --overwrite)",
    );
  });

  it('allows the output folder, the description, evaluation and checkpoint intervals, and more epochs', () => {
    const moved = { ...run, outputDir: 'elsewhere', description: 'new words', evaluateEvery: 2, checkpointEvery: 3, evalBatchSize: 64, epochs: 8 };
    expect(compareRunConfigs(run, moved)).toEqual([]);
    expect(compareRunConfigs(run, { ...run, epochs: 3 })).toEqual([{ key: 'epochs', saved: '4', current: '3' }]);
  });

  it("compares train()'s own per-epoch learning rates unless the run is extended", () => {
    const described = { epochs: 2, learningRatePerEpoch: [0.1, 0.05] };
    expect(compareRunConfigs(described, { epochs: 2, learningRatePerEpoch: [0.2, 0.1] })).toEqual([
      { key: 'learningRatePerEpoch.0', saved: '0.1', current: '0.2' },
      { key: 'learningRatePerEpoch.1', saved: '0.05', current: '0.1' },
    ]);
    expect(compareRunConfigs(described, { epochs: 3, learningRatePerEpoch: [0.1, 0.075, 0.025] })).toEqual([]);
  });
});
