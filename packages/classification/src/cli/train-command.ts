import * as path from 'path';
import { runExperiment, type TrainingSummary } from '@ausam/core';
import { ClassificationTask, createClassificationReplicaTask, type ClassificationReplicaOptions } from '../task';
import { loadDatasets } from './load-datasets';
import type { ClassificationRunConfig } from './run-config';

export interface TrainCommandOptions {
  resume?: boolean;
  /** Replace a run already in the output folder (otherwise it is refused unless `resume`). */
  overwrite?: boolean;
  progress?: boolean;
  /** Stop at the next step on SIGINT / SIGTERM, naming the checkpoint to resume from (the CLI sets it). */
  stopOnSignals?: boolean;
  log?: (line: string) => void;
  /**
   * A TF.js LayersModel (model.json) to fine-tune instead of `config.model.name`; the trained model
   * is written back in TF.js format to `<run folder>/tfjs-model/`. Needs `@tensorflow/tfjs-layers`.
   */
  modelFile?: string;
}

/** Runs one configured classification training (core's `runExperiment`) and returns its summary. */
export async function runClassificationTraining(
  config: ClassificationRunConfig,
  options: TrainCommandOptions = {},
): Promise<TrainingSummary> {
  const log = options.log ?? ((line: string) => console.error(line));
  if (options.modelFile && (config.replicas ?? 1) > 1) {
    throw new Error('--model-file: data-parallel replicas (--replicas > 1) rebuild the model by name; train a model file with 1 replica');
  }
  return runExperiment(
    config,
    async () => {
      const loadStarted = Date.now();
      const { train: trainSet, test, labelNoise } = await loadDatasets(config.dataset);
      log(
        `[ausam] ${config.dataset.kind}: ${trainSet.size} train / ${test.size} test images ` +
          `${trainSet.height}x${trainSet.width}x${trainSet.channels}, ${trainSet.numClasses} classes ` +
          `(loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s)`,
      );
      if (labelNoise) log(`[ausam] label noise: ${labelNoise.noisyIds.length} of ${trainSet.size} training labels replaced by another class`);
      const taskOptions: ClassificationReplicaOptions = {
        model: config.model.name,
        numClasses: trainSet.numClasses,
        inputChannels: trainSet.channels,
        labelSmoothing: config.model.labelSmoothing,
        seed: config.seed,
        init: config.model.init,
      };
      // A user's TF.js model: tfjs-layers is loaded only for it (an optional peer dependency).
      const interop = options.modelFile ? await import('../interop/layers-model-file') : undefined;
      const userModel = await interop?.loadLayersClassifier(options.modelFile!, [trainSet.height, trainSet.width, trainSet.channels], trainSet.numClasses);
      const task = userModel
        ? new ClassificationTask(userModel, { labelSmoothing: config.model.labelSmoothing })
        : createClassificationReplicaTask(taskOptions);
      const { model } = task;
      log(`[ausam] model: ${model.description}, ${model.parameterCount().toLocaleString('en-US')} parameters`);
      return {
        task,
        trainSet,
        evalSets: { test },
        taskRecipe: userModel ? undefined : { module: taskFactoryModule(), exportName: 'createClassificationReplicaTask', options: taskOptions },
        sampleNoun: 'images',
        methodBuilt: ({ resolved }, outputDir) => log(`[ausam] method: ${JSON.stringify(resolved)}; output: ${outputDir}`),
        runRecord: (method, backend) => ({ ...config, method, backend, ...(options.modelFile ? { modelFile: path.resolve(options.modelFile) } : {}) }),
        afterTraining: async (_summary, outputDir) => {
          if (interop && userModel) log(`[ausam] trained model (TF.js layers format): ${await interop.saveLayersClassifier(userModel, outputDir)}`);
        },
        dispose: () => model.dispose(),
      };
    },
    { resume: options.resume, overwrite: options.overwrite, progress: options.progress, stopOnSignals: options.stopOnSignals, automaticReplicas: true, log },
  );
}

/** The module exporting `createClassificationReplicaTask`: this package's source under tsx, else its built entry. */
function taskFactoryModule(): string {
  return __filename.endsWith('.ts') ? path.join(__dirname, '../task/replica-task.ts') : path.join(__dirname, 'index.js');
}

/** The closing lines a person reads. */
export function formatSummary(summary: TrainingSummary, method: string): string {
  const test = summary.final.test ?? {};
  return [
    `[ausam] ${method} (optimizer ${summary.method}, sampler ${summary.sampler}), ${summary.epochs} epochs: ` +
      `test accuracy ${(100 * (test.accuracy ?? Number.NaN)).toFixed(2)}%, test loss ${(test.loss ?? Number.NaN).toFixed(4)}`,
    `[ausam] training ${summary.trainSeconds.toFixed(1)} s (wall ${summary.wallSeconds.toFixed(1)} s), ` +
      `${summary.samplesPerSecond.toFixed(0)} images/s, ${(100 * summary.fractionOfSamWork).toFixed(0)}% of SAM's forward/backward passes`,
  ].join('\n');
}
