import * as path from 'node:path';
import { Rng, readCheckpointFile, restoreWeights, runExperiment, selectBackend } from '@ausam/core';
import type { BackendChoice, MethodName, Task, TrainingSummary } from '@ausam/core';
import { loadCocoKeypoints } from '../data/coco-keypoints';
import { loadMpiiAnnotations } from '../data/mpii-json';
import type { PoseAnnotation } from '../data/pose-annotation';
import type { PoseBatch, SimccBatch } from '../data/pose-batch';
import { PoseDataset } from '../data/pose-dataset';
import type { PoseSampleOptions } from '../data/pose-dataset';
import type { Skeleton } from '../data/skeletons';
import { skeletonFor } from '../data/skeletons';
import { meanPoseBaseline } from '../evaluation/mean-pose-baseline';
import { buildPoseModel } from '../models/build-model';
import type { AnyPoseModel } from '../models/build-model';
import type { PoseModel } from '../models/pose-model';
import { isSimccModel } from '../models/simcc-model';
import type { SimccPoseModel } from '../models/simcc-model';
import { DEFAULT_SIMCC_SIGMA } from '../targets/simcc-labels';
import type { HeatmapTargets, SimccTargets } from '../targets/target-encoders';
import { simccTargetEncoder } from '../targets/target-encoders';
import { PoseTask } from '../task/pose-task';
import { SimccPoseTask } from '../task/simcc-pose-task';
import type { PoseRunConfig } from './run-config';
import { resolveAugmentation, resolveModelConfig } from './run-config';

/** Command-line changes to a config. */
export interface RunOverrides {
  readonly method?: MethodName;
  readonly epochs?: number;
  /** Data-parallel replicas (the config's `replicas`). */
  readonly replicas?: number;
  readonly outputDir?: string;
  /** Replaces `dataset.root`. */
  readonly dataRoot?: string;
  readonly resume?: boolean;
  /** Replace a run already in the output folder (otherwise refused unless `resume`). */
  readonly overwrite?: boolean;
  readonly progress?: boolean;
  /** Stop at the next step on SIGINT / SIGTERM, naming the checkpoint to resume from (the CLI sets it). */
  readonly stopOnSignals?: boolean;
  readonly log?: (line: string) => void;
}

/** The config with command-line overrides applied (what gets saved as the run's config). */
export function applyOverrides(config: PoseRunConfig, overrides: RunOverrides): PoseRunConfig {
  return {
    ...config,
    dataset: { ...config.dataset, root: overrides.dataRoot ?? config.dataset.root },
    method: overrides.method ? { ...config.method, method: overrides.method } : config.method,
    epochs: overrides.epochs ?? config.epochs,
    replicas: overrides.replicas ?? config.replicas,
    outputDir: overrides.outputDir ?? config.outputDir,
  };
}

/** Annotations of one split, limited as the config says. A training split without any person is refused. */
export function loadSplit(config: PoseRunConfig, split: 'train' | 'valid'): PoseAnnotation[] {
  const { dataset } = config;
  const file = path.join(dataset.root, split === 'train' ? dataset.trainAnnotations : dataset.validAnnotations);
  const all =
    dataset.kind === 'mpii' ? loadMpiiAnnotations(file) : loadCocoKeypoints(file, { aspectRatio: config.inputSize.width / config.inputSize.height });
  if (split === 'train' && all.length === 0) throw new RangeError(`${file}: expected at least one annotated person to train on, found none`);
  const limit = split === 'train' ? config.limitTrain : config.limitValid;
  return limit ? all.slice(0, limit) : all;
}

/** A batch of either head. */
export type AnyPoseBatch = PoseBatch | SimccBatch;

/** Everything a run needs, built from its config (heatmap or SimCC head, as `model.head` says). */
export interface PreparedPoseRun {
  readonly backend: BackendChoice;
  readonly skeleton: Skeleton;
  readonly model: AnyPoseModel;
  readonly task: PoseTask | SimccPoseTask;
  readonly trainAnnotations: PoseAnnotation[];
  readonly validAnnotations: PoseAnnotation[];
  readonly trainSet: PoseDataset<HeatmapTargets> | PoseDataset<SimccTargets>;
  readonly validSet: PoseDataset<HeatmapTargets> | PoseDataset<SimccTargets>;
}

/** Activates the backend, loads both splits, builds the model and task. */
export async function preparePoseRun(config: PoseRunConfig, log: (line: string) => void): Promise<PreparedPoseRun> {
  const backend = await selectBackend({ force: config.backend, log });
  return { backend, ...(await buildPoseRun(config, log)) };
}

/** Loads both splits and builds the model and task, on the active backend. */
async function buildPoseRun(config: PoseRunConfig, log: (line: string) => void): Promise<Omit<PreparedPoseRun, 'backend'>> {
  const skeleton = skeletonFor(config.dataset.kind);
  const model = buildPoseModel(resolveModelConfig(config, skeleton.jointNames.length), new Rng(config.seed));
  const trainAnnotations = loadSplit(config, 'train');
  const validAnnotations = loadSplit(config, 'valid');
  const started = Date.now();
  const common = { skeleton, inputSize: config.inputSize, cache: config.dataset.cache };
  const splits: Splits = {
    train: [trainAnnotations, { ...common, imageRoot: path.join(config.dataset.root, config.dataset.trainImages), augmentation: resolveAugmentation(config) }],
    valid: [validAnnotations, { ...common, imageRoot: path.join(config.dataset.root, config.dataset.validImages) }],
  };
  const heads = isSimccModel(model) ? await simccParts(config, model, skeleton, splits) : await heatmapParts(config, model, skeleton, splits);
  const { trainSet, validSet } = heads;
  const output = isSimccModel(model) ? `${model.bins.x} + ${model.bins.y} SimCC bins (k = ${model.splitRatio})` : `${model.heatmapSize.width}×${model.heatmapSize.height}`;
  log(
    `[ausam-pose] ${config.dataset.kind}: ${trainSet.size} train / ${validSet.size} valid people (loaded in ${((Date.now() - started) / 1000).toFixed(1)} s); ` +
      `${config.model.preset} (${config.model.head ?? 'heatmap'} head): ${(model.parameterCount() / 1e6).toFixed(2)} M parameters, ${config.inputSize.width}×${config.inputSize.height} → ${output}`,
  );
  return { skeleton, model, trainAnnotations, validAnnotations, ...heads };
}

/** Each split's people and dataset options (targets aside). */
interface Splits {
  readonly train: readonly [PoseAnnotation[], PoseSampleOptions];
  readonly valid: readonly [PoseAnnotation[], PoseSampleOptions];
}

/** The heatmap head's task and datasets. */
async function heatmapParts(config: PoseRunConfig, model: PoseModel, skeleton: Skeleton, { train, valid }: Splits) {
  const targets = { heatmapSize: model.heatmapSize, sigma: config.sigma };
  return {
    task: poseTaskFor(config, model, skeleton) as PoseTask,
    trainSet: await PoseDataset.create(train[0], { ...train[1], ...targets }),
    validSet: await PoseDataset.create(valid[0], { ...valid[1], ...targets }),
  };
}

/** The SimCC head's task and datasets (labels σ in bins, default {@link DEFAULT_SIMCC_SIGMA}). */
async function simccParts(config: PoseRunConfig, model: SimccPoseModel, skeleton: Skeleton, { train, valid }: Splits) {
  const targets = simccTargetEncoder(
    { inputSize: config.inputSize, splitRatio: model.splitRatio, sigma: config.sigma ?? DEFAULT_SIMCC_SIGMA },
    skeleton.jointWeights,
  );
  return {
    task: poseTaskFor(config, model, skeleton) as SimccPoseTask,
    trainSet: await PoseDataset.create(train[0], { ...train[1], targets }),
    validSet: await PoseDataset.create(valid[0], { ...valid[1], targets }),
  };
}

/** The task of either head on `model`, as the config says. */
export function poseTaskFor(config: PoseRunConfig, model: AnyPoseModel, skeleton: Skeleton): PoseTask | SimccPoseTask {
  const flipTest = config.flipTest ?? true;
  return isSimccModel(model) ? new SimccPoseTask({ model, skeleton, flipTest, beta: config.model.beta }) : new PoseTask({ model, skeleton, flipTest });
}

/**
 * The task a data-parallel replica thread builds (the recipe of `ausam-pose train --replicas n`, see
 * `runExperiment` in `@ausam/core`): model and task from the run's config, no datasets.
 */
export function createPoseReplicaTask(config: PoseRunConfig): PoseTask | SimccPoseTask {
  const skeleton = skeletonFor(config.dataset.kind);
  const model = buildPoseModel(resolveModelConfig(config, skeleton.jointNames.length), new Rng(config.seed));
  return poseTaskFor(config, model, skeleton);
}

/** The module exporting {@link createPoseReplicaTask}: this source under tsx, else the built entry. */
function replicaRecipeModule(): string {
  return __filename.endsWith('.ts') ? __filename : path.join(__dirname, 'index.js');
}

/** Trains as the config says (core's `runExperiment`), writing `runs/<name>/` (config, metrics.jsonl, checkpoint, summary). */
export async function runTraining(rawConfig: PoseRunConfig, overrides: RunOverrides = {}): Promise<TrainingSummary> {
  const config = applyOverrides(rawConfig, overrides);
  const log = overrides.log ?? ((line: string) => console.error(line));
  return runExperiment<AnyPoseBatch>(
    config,
    async () => {
      const run = await buildPoseRun(config, log);
      let baseline: Record<string, number> | undefined;
      return {
        task: run.task,
        trainSet: run.trainSet,
        evalSets: { valid: run.validSet },
        taskRecipe: { module: replicaRecipeModule(), exportName: 'createPoseReplicaTask', options: config },
        sampleNoun: 'people',
        beforeTraining: () => {
          const measured = meanPoseBaseline(run.trainAnnotations, run.validAnnotations, run.skeleton);
          baseline = measured;
          const headline = run.skeleton.kind === 'mpii' ? `PCKh ${measured.pckh.toFixed(2)}` : `AP ${measured.ap.toFixed(4)}`;
          log(`[ausam-pose] mean-pose baseline on valid: ${headline}`);
        },
        runRecord: (method, backend) => ({ ...config, method, backend, meanPoseBaseline: baseline }),
        dispose: () => {
          run.task.dispose();
          run.model.dispose();
        },
      };
    },
    { resume: overrides.resume, overwrite: overrides.overwrite, progress: overrides.progress, stopOnSignals: overrides.stopOnSignals, automaticReplicas: true, log, logPrefix: '[ausam-pose]', defaultEvalBatchSize: 64 },
  );
}

/** Evaluates a checkpoint written by {@link runTraining} on the validation split. */
export async function runEvaluation(
  rawConfig: PoseRunConfig,
  checkpoint: string,
  overrides: RunOverrides = {},
): Promise<Record<string, number>> {
  const config = applyOverrides(rawConfig, overrides);
  const log = overrides.log ?? ((line: string) => console.error(line));
  const run = await preparePoseRun(config, log);
  try {
    const saved = readCheckpointFile<{ weights: Record<string, Float32Array> }>(checkpoint);
    restoreWeights(run.model, saved.weights, checkpoint);
    const task: Task<AnyPoseBatch> = run.task;
    return await task.evaluate(run.validSet, { batchSize: config.evalBatchSize ?? 64 });
  } finally {
    run.task.dispose();
    run.model.dispose();
  }
}

/** The mean-pose baseline of the config's splits (no model, no backend). */
export function runBaseline(rawConfig: PoseRunConfig, overrides: RunOverrides = {}): Record<string, number> {
  const config = applyOverrides(rawConfig, overrides);
  return meanPoseBaseline(loadSplit(config, 'train'), loadSplit(config, 'valid'), skeletonFor(config.dataset.kind));
}
