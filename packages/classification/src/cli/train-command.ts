import * as path from 'path';
import { buildMethod, buildSchedule, oneWasmThreadPerReplica, selectBackend, startReplicas, train, type Replicas, type TrainingSummary } from '@ausam/core';
import { createModel } from '../models';
import { ClassificationTask } from '../task';
import { loadDatasets } from './load-datasets';
import type { ClassificationRunConfig } from './run-config';

export interface TrainCommandOptions {
  resume?: boolean;
  /** Replace a run already in the output folder (otherwise it is refused unless `resume`). */
  overwrite?: boolean;
  progress?: boolean;
  log?: (line: string) => void;
  /**
   * A TF.js LayersModel (model.json) to fine-tune instead of `config.model.name`; the trained model
   * is written back in TF.js format to `<run folder>/tfjs-model/`. Needs `@tensorflow/tfjs-layers`.
   */
  modelFile?: string;
}

/** Runs one configured classification training and returns its summary. */
export async function runClassificationTraining(
  config: ClassificationRunConfig,
  options: TrainCommandOptions = {},
): Promise<TrainingSummary> {
  const log = options.log ?? ((line: string) => console.error(line));
  const replicaCount = config.replicas ?? 1;
  oneWasmThreadPerReplica(replicaCount, log);
  const backend = await selectBackend({ log });
  const loadStarted = Date.now();
  const { train: trainSet, test } = await loadDatasets(config.dataset);
  log(
    `[ausam] ${config.dataset.kind}: ${trainSet.size} train / ${test.size} test images ` +
      `${trainSet.height}x${trainSet.width}x${trainSet.channels}, ${trainSet.numClasses} classes ` +
      `(loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s)`,
  );
  // A user's TF.js model (issue 25): tfjs-layers is loaded only for it (an optional peer dependency).
  const interop = options.modelFile ? await import('../interop/layers-model-file') : undefined;
  if (interop && replicaCount > 1) throw new Error('--model-file: data-parallel replicas (--replicas > 1) rebuild the model by name; train a model file with 1 replica');
  const userModel = await interop?.loadLayersClassifier(options.modelFile!, [trainSet.height, trainSet.width, trainSet.channels], trainSet.numClasses);
  const model = userModel ?? createModel(config.model.name, { numClasses: trainSet.numClasses, inputChannels: trainSet.channels, seed: config.seed });
  log(`[ausam] model: ${model.description}, ${model.parameterCount().toLocaleString('en-US')} parameters`);
  const task = new ClassificationTask(model, { labelSmoothing: config.model.labelSmoothing });
  const { optimizer, sampler, resolved } = buildMethod(config.method, trainSet.size, config.seed);
  const outputDir = config.outputDir ?? path.join('runs', config.name);
  log(`[ausam] method: ${JSON.stringify(resolved)}; output: ${outputDir}`);
  let replicas: Replicas | undefined;
  try {
    replicas =
      replicaCount > 1
        ? await startReplicas(task, {
            replicas: replicaCount,
            recipe: {
              module: replicaRecipeModule(),
              exportName: 'createClassificationReplicaTask',
              options: { model: config.model.name, numClasses: trainSet.numClasses, inputChannels: trainSet.channels, labelSmoothing: config.model.labelSmoothing },
            },
          })
        : undefined;
    if (replicas) log(`[ausam] data-parallel: ${replicas.count} replicas, ${Math.ceil(config.batchSize / replicas.count)} images each per batch`);
    const summary = await train({
      task,
      trainSet,
      evalSets: { test },
      optimizer,
      sampler,
      learningRate: buildSchedule(config.learningRate, config.epochs),
      epochs: config.epochs,
      batchSize: config.batchSize,
      evalBatchSize: config.evalBatchSize,
      seed: config.seed,
      outputDir,
      evaluateEvery: config.evaluateEvery,
      checkpointEvery: config.checkpointEvery,
      resume: options.resume,
      overwrite: options.overwrite,
      progress: options.progress,
      config: { ...config, method: resolved, backend: backend.name, ...(options.modelFile ? { modelFile: path.resolve(options.modelFile) } : {}) },
      log,
    });
    if (interop && userModel) log(`[ausam] trained model (TF.js layers format): ${await interop.saveLayersClassifier(userModel, outputDir)}`);
    return summary;
  } finally {
    await replicas?.close();
    optimizer.dispose();
    model.dispose();
  }
}

/** The module exporting `createClassificationReplicaTask`: this package's source under tsx, else its built entry. */
function replicaRecipeModule(): string {
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
