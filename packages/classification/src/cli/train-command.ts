import * as path from 'path';
import { runExperiment, type TrainingSummary } from '@ausam/core';
import { createClassificationReplicaTask, type ClassificationReplicaOptions } from '../task';
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
}

/** Runs one configured classification training (core's `runExperiment`) and returns its summary. */
export async function runClassificationTraining(
  config: ClassificationRunConfig,
  options: TrainCommandOptions = {},
): Promise<TrainingSummary> {
  const log = options.log ?? ((line: string) => console.error(line));
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
      const task = createClassificationReplicaTask(taskOptions);
      const { model } = task;
      log(`[ausam] model: ${model.description}, ${model.parameterCount().toLocaleString('en-US')} parameters`);
      return {
        task,
        trainSet,
        evalSets: { test },
        taskRecipe: { module: taskFactoryModule(), exportName: 'createClassificationReplicaTask', options: taskOptions },
        sampleNoun: 'images',
        methodBuilt: ({ resolved }, outputDir) => log(`[ausam] method: ${JSON.stringify(resolved)}; output: ${outputDir}`),
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
