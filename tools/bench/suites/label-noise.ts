import { buildSchedule, type MethodSpec } from '@ausam/core';
import { ClassificationTask, createModel, type ClassificationBatch } from '@ausam/classification';
import { loadDatasets, type LoadedDatasets } from '../../../packages/classification/src/cli/load-datasets';
import type { BenchSuite } from '../suite';
import { NoisyShareCounter } from './noisy-share-counter';
import { peersAtPassFraction, subsetPassFraction } from './peer-budget';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
/** The noisy labels are the same for every run seed: the seeds vary the model and the data order only. */
export const LABEL_NOISE_SEED = 1;
const RHO = 0.05;
const ALPHA = 0.5;

/**
 * The share of training losses below their mean that InfoBatch's pruning probability is set for:
 * 0.8 on clean data (`peersAtPassFraction`'s calibration), and noisy labels, whose losses stay
 * high, are taken to be above the mean: 0.8·(1 − rate) (0.48 at 40%; the quick run measured 0.52).
 */
export function belowMeanShare(rate: number): number {
  return 0.8 * (1 - rate);
}

interface Scale {
  trainLimit: number;
  testLimit?: number;
  epochs: number;
}

const SCALES: { quick: Scale; full: Scale } = {
  quick: { trainLimit: 2000, testLimit: 2000, epochs: 3 },
  full: { trainLimit: 10000, epochs: 15 },
};

/**
 * Label noise (issue 27): the first 10,000 Fashion-MNIST training images with `rate` of their labels
 * replaced by another class (symmetric, `symmetricLabelNoise`, noise seed {@link LABEL_NOISE_SEED}),
 * the full clean test set, `resnet-small`, 15 epochs, and the classification suite's recipe (SGD
 * momentum 0.9 wd 5e-4, cosine lr 0.05 per step, batch 128, no augmentation, ρ 0.05). Methods: SGD,
 * SAM, AUSAM and the uniform control (α 0.5 after one warm-up epoch) and InfoBatch at AUSAM's pass
 * budget. Reports the final and best test accuracy and the share of noisy labels among the samples
 * each method trained on (the noise rate for SGD and SAM). Quick: 2,000 / 2,000 images, 3 epochs.
 */
export function labelNoiseSuite(rate: number): BenchSuite<ClassificationBatch> {
  let data: LoadedDatasets | undefined;
  const scaleOf = (quick: boolean) => (quick ? SCALES.quick : SCALES.full);
  return {
    name: 'label-noise',
    headline: ['test', 'accuracy'],
    reportBest: true,
    withNoise: (other) => labelNoiseSuite(other),
    describe: (quick, epochs) => {
      const s = scaleOf(quick);
      return (
        `Fashion-MNIST first ${s.trainLimit} train images with ${(100 * rate).toFixed(0)}% symmetric label noise (noise seed ${LABEL_NOISE_SEED}), ` +
        `${s.testLimit ?? 10000} clean test images, resnet-small, ${epochs ?? s.epochs} epochs, batch 128, cosine lr 0.05, SGD momentum 0.9 wd 5e-4, ` +
        `rho ${RHO}, no augmentation; ausam/uniform alpha ${ALPHA} after 1 warm-up epoch, AUSAM transition 15% of the run; infobatch at AUSAM's pass budget`
      );
    },
    methods: (quick, epochsOverride): MethodSpec[] => {
      const epochs = epochsOverride ?? scaleOf(quick).epochs;
      const methods: MethodSpec[] = [
        { method: 'sgd' },
        { method: 'sam', rho: RHO },
        { method: 'ausam', rho: RHO, ratio: ALPHA },
        { method: 'uniform', rho: RHO, ratio: ALPHA },
      ];
      // InfoBatch prunes from epoch 1 on: a 1-epoch run (e.g. timing one epoch) has no budget to set.
      if (epochs < 2) return methods;
      const budget = subsetPassFraction(epochs, ALPHA, 1);
      const infobatch = peersAtPassFraction(budget, epochs, RHO, belowMeanShare(rate)).find((m) => m.method === 'infobatch')!;
      return [...methods, infobatch];
    },
    seeds: (quick) => (quick ? [1] : [1, 2, 3]),
    prepare: async (quick) => {
      const s = scaleOf(quick);
      data = await loadDatasets({
        kind: 'fashion-mnist',
        path: FASHION_MNIST,
        trainLimit: s.trainLimit,
        testLimit: s.testLimit,
        augmentation: 'none',
        labelNoise: rate > 0 ? { rate, seed: LABEL_NOISE_SEED } : undefined,
      });
    },
    createRun: async (seed, quick, epochsOverride) => {
      if (!data) throw new Error('label-noise suite: prepare() was not called');
      const epochs = epochsOverride ?? scaleOf(quick).epochs;
      const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed });
      const task = Object.assign(new ClassificationTask(model), { dispose: () => model.dispose() });
      const counter = data.labelNoise ? new NoisyShareCounter(data.labelNoise.isNoisy) : undefined;
      return {
        task,
        trainSet: data.train,
        evalSets: { test: data.test },
        epochs,
        batchSize: 128,
        learningRate: buildSchedule({ kind: 'cosine', lr: 0.05 }, epochs),
        observeStep: counter ? (epoch, result) => counter.observe(epoch, result) : undefined,
        runMetrics: counter ? () => counter.metrics() : undefined,
      };
    },
  };
}
