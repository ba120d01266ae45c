import { buildMethod, buildSchedule, snapshotWeights, train, type MethodSpec } from '@ausam/core';
import { ClassificationTask, createModel, loadDatasets, type ClassificationBatch, type LoadedDatasets } from '@ausam/classification';
import { quantizeModel } from '@ausam/quant';
import type { BenchSuite } from '../suite';

// The full scale runs 4 QAT epochs: the first is AUSAM's full-SAM warm-up (docs/algorithm.md §3), so its
// sampling differs from the uniform control's in epochs 2–4 only; 1-epoch quick runs are warm-up alone.
const SCALE = { quick: { trainLimit: 10000, testLimit: 5000, fpEpochs: 2, epochs: 1 }, full: { trainLimit: 10000, testLimit: 5000, fpEpochs: 4, epochs: 4 } };

let data: LoadedDatasets | undefined;
let fullPrecision: { weights: Record<string, Float32Array>; accuracy: number; quick: boolean } | undefined;

/**
 * LSQ QAT (W`weightBits`A`activationBits`) of `resnet-small` on Fashion-MNIST, every method starting
 * from the same full-precision checkpoint (trained once per process in `prepare` with SGD).
 */
export function quantSuite(bits: { weightBits: number; activationBits: number }): BenchSuite<ClassificationBatch> {
  return {
    name: `quant-w${bits.weightBits}a${bits.activationBits}`,
    headline: ['test', 'accuracy'],
    describe: (quick, epochs) => {
      const s = quick ? SCALE.quick : SCALE.full;
      const fp = fullPrecision ? ` (full precision: ${(100 * fullPrecision.accuracy).toFixed(2)}%)` : '';
      return (
        `Fashion-MNIST ${s.trainLimit} train / ${s.testLimit} test, resnet-small W${bits.weightBits}A${bits.activationBits} LSQ QAT${fp}, ` +
        `from a full-precision checkpoint (${s.fpEpochs} SGD epochs), ${epochs ?? s.epochs} QAT epochs, batch 128, cosine lr 0.01, rho 0.05`
      );
    },
    methods: (): MethodSpec[] => [
      { method: 'sgd' },
      { method: 'sam', rho: 0.05 },
      { method: 'ausam', rho: 0.05, ratio: 0.5 },
      { method: 'uniform', rho: 0.05, ratio: 0.5 },
    ],
    seeds: () => [1],
    prepare: async (quick) => {
      const s = quick ? SCALE.quick : SCALE.full;
      if (fullPrecision?.quick === quick) return;
      data = await loadDatasets({ kind: 'fashion-mnist', path: '/usr/share/datasets/fashion-mnist', trainLimit: s.trainLimit, testLimit: s.testLimit, augmentation: 'none' });
      const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 });
      const task = new ClassificationTask(model);
      const { optimizer, sampler } = buildMethod({ method: 'sgd' }, data.train.size, 1);
      console.error(`[bench] quant: training the full-precision checkpoint (${s.fpEpochs} epochs)`);
      const summary = await train({
        task,
        trainSet: data.train,
        evalSets: { test: data.test },
        optimizer,
        sampler,
        learningRate: buildSchedule({ kind: 'cosine', lr: 0.05 }, s.fpEpochs),
        epochs: s.fpEpochs,
        batchSize: 128,
        seed: 1,
        progress: false,
        log: (line) => console.error(`  ${line}`),
      });
      fullPrecision = { weights: snapshotWeights(model), accuracy: summary.final.test.accuracy, quick };
      optimizer.dispose();
      model.dispose();
    },
    createRun: async (seed, quick, epochsOverride) => {
      if (!data || !fullPrecision) throw new Error('quant suite: prepare() was not called');
      const epochs = epochsOverride ?? (quick ? SCALE.quick : SCALE.full).epochs;
      const quantized = quantizeModel(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed }), bits);
      quantized.initializeFromFullPrecision(fullPrecision.weights);
      const task = Object.assign(new ClassificationTask(quantized), { dispose: () => quantized.dispose() });
      return {
        task,
        trainSet: data.train,
        evalSets: { test: data.test },
        epochs,
        batchSize: 128,
        learningRate: buildSchedule({ kind: 'cosine', lr: 0.01 }, epochs),
      };
    },
  };
}
