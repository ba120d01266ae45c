import { buildSchedule, type MethodSpec } from '@ausam/core';
import { ClassificationTask, createModel, loadDatasets, type ClassificationBatch, type LoadedDatasets } from '@ausam/classification';
import type { BenchSuite } from '../suite';
import { peersAtPassFraction, subsetPassFraction } from './peer-budget';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

interface Scale {
  trainLimit?: number;
  testLimit?: number;
  epochs: number;
}

/**
 * Fashion-MNIST (real, Debian's dataset-fashion-mnist), `resnet-small`, SGD momentum 0.9 + wd 5e-4,
 * cosine lr 0.05 per step, batch 128, no augmentation (short runs converge faster without it),
 * ρ = 0.05; AUSAM and the uniform control at α = 0.5 after one warm-up epoch, f_max rising over 15%
 * of the run (the authors' 30 of 200 epochs).
 */
function classificationSuite(name: string, scales: { quick: Scale; full: Scale }, peers: boolean): BenchSuite<ClassificationBatch> {
  let data: LoadedDatasets | undefined;
  const scaleOf = (quick: boolean) => (quick ? scales.quick : scales.full);
  return {
    name,
    headline: ['test', 'accuracy'],
    describe: (quick, epochs) => {
      const s = scaleOf(quick);
      return (
        `Fashion-MNIST ${s.trainLimit ?? 60000} train / ${s.testLimit ?? 10000} test images, resnet-small ` +
        `(ResNet-8 w16, first stage stride 2), ${epochs ?? s.epochs} epochs, batch 128, cosine lr 0.05, SGD momentum 0.9 wd 5e-4, rho 0.05, ` +
        `no augmentation; ausam/uniform alpha 0.5 after 1 warm-up epoch, AUSAM transition 15% of the run`
      );
    },
    methods: (quick, epochsOverride): MethodSpec[] => {
      const core: MethodSpec[] = [
        { method: 'sgd' },
        { method: 'sam', rho: 0.05 },
        { method: 'ausam', rho: 0.05, ratio: 0.5 },
        { method: 'uniform', rho: 0.05, ratio: 0.5 },
      ];
      if (quick || !peers) return core;
      // The peers that draw subsets do AUSAM's pass budget here; ASAM and AE-SAM keep their defaults.
      const epochs = epochsOverride ?? scaleOf(quick).epochs;
      const budget = subsetPassFraction(epochs, 0.5, 1);
      return [...core, ...peersAtPassFraction(budget, epochs, 0.05), { method: 'asam' }, { method: 'ae-sam', rho: 0.05 }];
    },
    seeds: () => [1],
    prepare: async (quick) => {
      const s = scaleOf(quick);
      data = await loadDatasets({ kind: 'fashion-mnist', path: FASHION_MNIST, trainLimit: s.trainLimit, testLimit: s.testLimit, augmentation: 'none' });
    },
    createRun: async (seed, quick, epochsOverride) => {
      if (!data) throw new Error(`${name} suite: prepare() was not called`);
      const epochs = epochsOverride ?? scaleOf(quick).epochs;
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
}

/**
 * Full Fashion-MNIST for 4 epochs (quick: 5k/5k), every method; ESAM, SS-SAM, LookSAM and InfoBatch
 * set to AUSAM's pass budget (62.5% of SAM's at 4 epochs: γ = q = 0.25, k = 4, r = 0.625 without
 * InfoBatch's full-data tail; `peersAtPassFraction`).
 */
export const fashionMnistSuite = classificationSuite(
  'classification',
  { quick: { trainLimit: 5000, testLimit: 5000, epochs: 4 }, full: { epochs: 4 } },
  true,
);

/**
 * A longer run on a 20k-image training subset (all 10k test images), 12 epochs: the warm-up is 1/12
 * of the run instead of 1/4, so AUSAM's saving can approach the paper's (quick: 5k/5k, 6 epochs).
 */
export const fashionMnistLongSuite = classificationSuite(
  'classification-long',
  { quick: { trainLimit: 5000, testLimit: 5000, epochs: 6 }, full: { trainLimit: 20000, epochs: 12 } },
  false,
);
