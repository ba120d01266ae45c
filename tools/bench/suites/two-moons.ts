import { cosineSchedule, TwoMoonsDataset, TwoMoonsTask, type MethodSpec, type PointBatch } from '@ausam/core';
import type { BenchSuite } from '../suite';

/** Core's example task: seconds per run, for checking the harness itself. */
export const twoMoonsSuite: BenchSuite<PointBatch> = {
  name: 'two-moons',
  headline: ['test', 'accuracy'],
  describe: (quick, epochs) => `two-moons MLP (32 hidden, BatchNorm), 1024 train / 1024 test points, ${epochs ?? (quick ? 5 : 20)} epochs, batch 64`,
  methods: (): MethodSpec[] => [
    { method: 'sgd' },
    { method: 'sam' },
    { method: 'ausam', ratio: 0.5 },
    { method: 'uniform', ratio: 0.5 },
    { method: 'infobatch' },
    { method: 'esam' },
    { method: 'looksam' },
    { method: 'ae-sam' },
    { method: 'ss-sam' },
    { method: 'asam' },
  ],
  seeds: (quick) => (quick ? [1] : [1, 2, 3]),
  prepare: async () => {},
  createRun: async (seed, quick, epochsOverride) => {
    const epochs = epochsOverride ?? (quick ? 5 : 20);
    return {
      task: new TwoMoonsTask(seed),
      trainSet: new TwoMoonsDataset(1024, 100 + seed, 0.2),
      evalSets: { test: new TwoMoonsDataset(1024, 200 + seed, 0.2) },
      epochs,
      batchSize: 64,
      learningRate: cosineSchedule(0.1, epochs),
    };
  },
};
