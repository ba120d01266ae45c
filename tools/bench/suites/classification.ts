import { buildSchedule, type MethodSpec } from '@ausam/core';
import { ClassificationTask, createModel, type ClassificationBatch } from '@ausam/classification';
import { loadDatasets, type LoadedDatasets } from '../../../packages/classification/src/cli/load-datasets';
import type { BenchSuite } from '../suite';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** Train/test size and epochs of the two scales. */
const SCALE = {
  // Four epochs: AUSAM's probabilities are frozen per epoch, and with λ reaching 1 at the last epoch a
  // run needs at least 3 epochs before its sampling differs from uniform (docs/algorithm.md §12).
  quick: { trainLimit: 5000, testLimit: 5000, epochs: 4 },
  full: { trainLimit: undefined, testLimit: undefined, epochs: 4 },
};

let data: LoadedDatasets | undefined;

/**
 * Fashion-MNIST (real, Debian's dataset-fashion-mnist), `resnet-small`, SGD momentum 0.9 + wd 5e-4,
 * cosine lr 0.05, batch 128, no augmentation (short runs converge faster without it), ρ = 0.05.
 */
export const classificationSuite: BenchSuite<ClassificationBatch> = {
  name: 'classification',
  headline: ['test', 'accuracy'],
  describe: (quick, epochs) => {
    const s = quick ? SCALE.quick : SCALE.full;
    return (
      `Fashion-MNIST ${s.trainLimit ?? 60000} train / ${s.testLimit ?? 10000} test images, resnet-small ` +
      `(ResNet-8 w16, first stage stride 2), ${epochs ?? s.epochs} epochs, batch 128, cosine lr 0.05, SGD momentum 0.9 wd 5e-4, rho 0.05, no augmentation`
    );
  },
  methods: (quick): MethodSpec[] => {
    const core: MethodSpec[] = [
      { method: 'sgd' },
      { method: 'sam', rho: 0.05 },
      { method: 'ausam', rho: 0.05, ratio: 0.55 },
      { method: 'uniform', rho: 0.05, ratio: 0.55 },
    ];
    if (quick) return core;
    return [
      ...core,
      { method: 'asam' },
      { method: 'infobatch', rho: 0.05 },
      { method: 'esam', rho: 0.05 },
      { method: 'looksam', rho: 0.05 },
      { method: 'ae-sam', rho: 0.05 },
      { method: 'ss-sam', rho: 0.05 },
    ];
  },
  seeds: () => [1],
  prepare: async (quick) => {
    const s = quick ? SCALE.quick : SCALE.full;
    data = await loadDatasets({ kind: 'fashion-mnist', path: FASHION_MNIST, trainLimit: s.trainLimit, testLimit: s.testLimit, augmentation: 'none' });
  },
  createRun: async (seed, quick, epochsOverride) => {
    if (!data) throw new Error('classification suite: prepare() was not called');
    const epochs = epochsOverride ?? (quick ? SCALE.quick : SCALE.full).epochs;
    const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed });
    const task = Object.assign(new ClassificationTask(model), { dispose: () => model.dispose() });
    return {
      task,
      trainSet: data.train,
      evalSets: { test: data.test },
      epochs,
      batchSize: 128,
      learningRate: buildSchedule({ kind: 'cosine', lr: 0.05 }, epochs),
    };
  },
};
