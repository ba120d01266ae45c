import * as path from 'node:path';
import { buildMethod, type BuiltMethod, type MethodSpec } from '../methods/build-method';
import { buildSchedule, type ScheduleSpec } from '../optim/schedule/schedules';
import type { BackendName } from '../runtime/backend/select-backend';
import { checkReplicaCount } from '../runtime/parallel/replica-count';
import type { ReplicaRecipe } from '../runtime/parallel/replica-recipe';
import { prepareRuntime, type Runtime } from '../runtime/prepare-runtime';
import type { Batch, Dataset, Task } from '../task/contracts';
import { train, type TrainingSummary } from '../train/trainer';

/** The parts of a validated run config that core knows (`trainingSectionSchema`, plus a backend). */
export interface ExperimentConfig {
  readonly name: string;
  readonly method: MethodSpec;
  readonly learningRate: ScheduleSpec;
  readonly epochs: number;
  readonly batchSize: number;
  readonly evalBatchSize?: number;
  readonly seed: number;
  readonly evaluateEvery?: number;
  readonly checkpointEvery?: number;
  /**
   * Data-parallel replicas, the main thread included. Default: one per core on wasm when the runner
   * is told the task supports replicas (`RunExperimentOptions.automaticReplicas`), else 1.
   */
  readonly replicas?: number;
  /** Default: runs/<name>. */
  readonly outputDir?: string;
  /** Default: `AUSAM_BACKEND`, else the fastest that loads. */
  readonly backend?: BackendName;
}

/** What a task package's factory built for one run, once the backend is active. */
export interface ExperimentParts<B extends Batch> {
  readonly task: Task<B>;
  readonly trainSet: Dataset<B>;
  /** Splits evaluated during and after training, e.g. `{ test }`. */
  readonly evalSets: Record<string, Dataset<B>>;
  /**
   * The task factory as a replica recipe: the module and export that build `task` (without data)
   * from plain options. Needed for more than one replica.
   */
  readonly taskRecipe?: ReplicaRecipe;
  /** What a sample is called in the data-parallel line (`images`, `people`); default `samples`. */
  readonly sampleNoun?: string;
  /** Once the method is built, before replicas start (e.g. to log it). */
  methodBuilt?(method: BuiltMethod, outputDir: string): void;
  /** Once replicas run, right before training (e.g. to log a baseline). */
  beforeTraining?(): void;
  /** config.json's content; default `{ ...config, method: resolved, backend }`. */
  runRecord?(method: MethodSpec, backend: BackendName): unknown;
  /** After training, while the task still exists (e.g. to write extra reports). */
  afterTraining?(summary: TrainingSummary, outputDir: string): void | Promise<void>;
  /** Releases the task's model and anything else the factory made; called once, whatever happened. */
  dispose(): void;
}

export interface RunExperimentOptions {
  /** Continue the run in the output folder (see `TrainOptions.resume`). */
  readonly resume?: boolean;
  /** Replace a run already in the output folder. */
  readonly overwrite?: boolean;
  /** Progress on stderr (default true). */
  readonly progress?: boolean;
  readonly log?: (line: string) => void;
  /** Prefix of the runner's own log lines (default `[ausam]`). */
  readonly logPrefix?: string;
  /** Evaluation batch size when the config names none (default: the trainer's). */
  readonly defaultEvalBatchSize?: number;
  /** Stop on SIGINT/SIGTERM after saying which checkpoint `resume` continues from (see `TrainOptions.stopOnSignals`). */
  readonly stopOnSignals?: boolean;
  /**
   * When the config names no `replicas`: one per core on wasm (`prepareRuntime`'s `'auto'`), for
   * tasks whose factory gives a `taskRecipe`. Default false: one replica.
   */
  readonly automaticReplicas?: boolean;
}

/**
 * Runs one validated experiment: prepares the runtime (backend, threads, replicas), has `build`
 * load the data and build the task, builds the method, starts the replicas with the task's recipe,
 * trains (writing the run folder), and disposes everything, whatever happened.
 */
export async function runExperiment<B extends Batch>(
  config: ExperimentConfig,
  build: (runtime: Runtime) => Promise<ExperimentParts<B>>,
  options: RunExperimentOptions = {},
): Promise<TrainingSummary> {
  const log = options.log ?? ((line: string) => console.error(line));
  if ((config.replicas ?? 1) > 1) checkReplicaCount(config.replicas!, config.batchSize);
  const replicas = config.replicas ?? (options.automaticReplicas ? 'auto' : 1);
  const runtime = await prepareRuntime({ backend: config.backend, replicas, batchSize: config.batchSize, log });
  let parts: ExperimentParts<B> | undefined;
  let method: BuiltMethod | undefined;
  try {
    parts = await build(runtime);
    method = buildMethod(config.method, parts.trainSet.size, config.seed);
    const outputDir = config.outputDir ?? path.join('runs', config.name);
    parts.methodBuilt?.(method, outputDir);
    const passes = await runtime.startReplicas(parts.task, parts.taskRecipe);
    if (runtime.replicas > 1) {
      const perReplica = Math.ceil(config.batchSize / runtime.replicas);
      log(`${options.logPrefix ?? '[ausam]'} data-parallel: ${runtime.replicas} replicas, ${perReplica} ${parts.sampleNoun ?? 'samples'} each per batch`);
    }
    parts.beforeTraining?.();
    const resolved = method.resolved;
    const summary = await train({
      task: parts.task,
      trainSet: parts.trainSet,
      evalSets: parts.evalSets,
      optimizer: method.optimizer,
      sampler: method.sampler,
      passes,
      learningRate: buildSchedule(config.learningRate, config.epochs),
      epochs: config.epochs,
      batchSize: config.batchSize,
      evalBatchSize: config.evalBatchSize ?? options.defaultEvalBatchSize,
      seed: config.seed,
      outputDir,
      evaluateEvery: config.evaluateEvery,
      checkpointEvery: config.checkpointEvery,
      resume: options.resume,
      overwrite: options.overwrite,
      progress: options.progress,
      stopOnSignals: options.stopOnSignals,
      config: parts.runRecord ? parts.runRecord(resolved, runtime.backend) : { ...config, method: resolved, backend: runtime.backend },
      log,
    });
    await parts.afterTraining?.(summary, outputDir);
    return summary;
  } finally {
    await runtime.dispose();
    method?.optimizer.dispose();
    parts?.dispose();
  }
}
