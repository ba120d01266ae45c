import type { LearningRateSchedule } from '../optim/schedule/learning-rate-schedule';
import type { Passes } from '../passes/passes';
import type { SharpnessOptimizer, StepResult } from '../optim/sharpness/sharpness-optimizer';
import { Rng } from '../random/rng';
import type { DataSampler } from '../sampling/data-sampler';
import { FullDataSampler } from '../sampling/full-data-sampler';
import { batchProblem, checkedDataset, checkIdRange, checkMetricTypes } from '../task/contract-checks';
import type { Batch, Dataset, Task } from '../task/contracts';
import { TaskContractError } from '../task/task-contract-error';
import { restoreWeights, snapshotWeights } from './model-weights';
import { NonFiniteLossError } from './non-finite-loss-error';
import { divergedMetric, NonFiniteMetricError } from './non-finite-metric-error';
import { startEpochProgress } from './progress';
import { compareRunConfigs, ResumeMismatchError } from './resume-check';
import { RUN_FILES, RunFolder } from './run-folder';
import { RunStoppedError, watchStopSignals, type StopSignalWatch } from './stop-signals';

export interface TrainOptions<B extends Batch> {
  task: Task<B>;
  trainSet: Dataset<B>;
  /** Splits evaluated every `evaluateEvery` epochs and at the end, e.g. `{ test }`. */
  evalSets?: Record<string, Dataset<B>>;
  optimizer: SharpnessOptimizer;
  /**
   * How each step computes its losses and gradients, handed to the optimizer: default `localPasses`
   * (this thread); a `Runtime`'s passes split them across data-parallel replicas.
   */
  passes?: Passes;
  /** Which samples to train on; default: all, reshuffled each epoch. */
  sampler?: DataSampler;
  learningRate: LearningRateSchedule;
  epochs: number;
  batchSize: number;
  seed: number;
  /**
   * Run folder: config.json, metrics.jsonl, checkpoint.ausam (+ checkpoint.prev.ausam, the one
   * before), summary.json. None: nothing written. A folder that already holds a run needs `resume`
   * or `overwrite`.
   */
  outputDir?: string;
  evaluateEvery?: number;
  evalBatchSize?: number;
  checkpointEvery?: number;
  /**
   * Continue from `outputDir`'s latest readable checkpoint (the previous one, with a warning, when
   * the latest is corrupt). The checkpoint's config is compared with this run's key by key, and a
   * difference in anything that changes the trajectory is refused (`ResumeMismatchError`, naming each
   * key) before anything is written; `epochs` may grow (see `compareRunConfigs`). A folder that
   * holds a config.json but no checkpoint yet starts again from epoch 0 after the same check; a
   * missing folder, or one without either, is a `NothingToResumeError`.
   */
  resume?: boolean;
  /** Delete the run already in `outputDir` and start over (otherwise such a folder is refused). */
  overwrite?: boolean;
  /** Progress on stderr (default: true): a live bar on a terminal, a plain line every 10% otherwise. */
  progress?: boolean;
  /**
   * Stop at the next step on SIGINT / SIGTERM with a `RunStoppedError` naming the checkpoint a resume
   * continues from, the lock released; a second signal ends the process at once (default: false; the
   * CLIs set it).
   */
  stopOnSignals?: boolean;
  /**
   * The resolved run configuration (plain JSON data), saved verbatim as config.json and in every
   * checkpoint, where `resume` compares it. Without it config.json records what the trainer knows:
   * task, method, sampler, epochs, batch sizes, seed.
   */
  config?: unknown;
  log?: (line: string) => void;
  /** Called after each epoch's record is complete (evaluation included), e.g. to snapshot the sampler. */
  onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
}

/** One epoch's record in metrics.jsonl. */
export interface EpochRecord {
  epoch: number;
  learningRate: number;
  trainLoss: number;
  trainSeconds: number;
  samplesPerSecond: number;
  /**
   * Forward+backward passes this epoch in samples, over the 2·(training set size) of a SAM epoch
   * over the whole set: a data-pruning sampler's skipped samples count as work saved.
   */
  fractionOfSamWork: number;
  sharpnessStepFraction: number;
  /** Time spent in the sampler (planning, per-batch selection, score updates), seconds. */
  samplerSeconds: number;
  sampler?: Record<string, number>;
  eval?: Record<string, Record<string, number>>;
}

export interface TrainingSummary {
  method: string;
  sampler: string;
  epochs: number;
  wallSeconds: number;
  trainSeconds: number;
  /** Samples of the epoch plans per second of training (evaluation excluded): images/s. */
  samplesPerSecond: number;
  fractionOfSamWork: number;
  finalTrainLoss: number;
  final: Record<string, Record<string, number>>;
  history: EpochRecord[];
}

interface TrainerCheckpoint {
  /** 2: carries `config`; 1 (older): does not. */
  version: 1 | 2;
  nextEpoch: number;
  /** The run's config.json: what `resume` compares the new config with. */
  config?: unknown;
  weights: Record<string, Float32Array>;
  optimizer: unknown;
  sampler: unknown;
  rng: { sampling: number[]; augmentation: number[] };
  history: EpochRecord[];
  trainSeconds: number;
}

const DEFAULT_EVAL_BATCH_SIZE = 256;

/**
 * The epoch loop: the sampler plans each epoch (and may pick a subset of each batch), the optimizer
 * steps, the sampler observes per-sample losses. Writes metrics, atomic checkpoints and a summary;
 * `resume` continues the same trajectory (weights, optimizer, sampler scores, RNG streams).
 */
export async function train<B extends Batch>(options: TrainOptions<B>): Promise<TrainingSummary> {
  const { task, trainSet, optimizer, epochs, batchSize } = options;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new RangeError(`epochs must be a positive integer, found ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive integer, found ${batchSize}`);
  if (!(trainSet.size > 0)) throw new RangeError(`${task.name}: training set: expected at least one sample, found ${trainSet.size}`);
  const log = options.log ?? ((line: string) => console.error(line));
  const sampler = options.sampler ?? new FullDataSampler(trainSet.size);
  const config = asJson(options.config ?? describeRun(options, sampler));
  const folder = options.outputDir ? RunFolder.open(options.outputDir, { ...options, log }) : undefined;
  const stop = options.stopOnSignals ? watchStopSignals(() => folder?.close()) : undefined;
  try {
    return await trainInFolder(options, sampler, config, folder, stop, log);
  } finally {
    stop?.dispose();
    folder?.close();
  }
}

/** Where a resume would continue from: the last checkpoint saved or resumed. */
interface LastCheckpoint {
  file: string;
  nextEpoch: number;
}

async function trainInFolder<B extends Batch>(
  options: TrainOptions<B>,
  sampler: DataSampler,
  config: unknown,
  folder: RunFolder | undefined,
  stop: StopSignalWatch | undefined,
  log: (line: string) => void,
): Promise<TrainingSummary> {
  const { task, optimizer, epochs } = options;
  const evaluateEvery = options.evaluateEvery ?? 1;
  const checkpointEvery = options.checkpointEvery ?? 1;
  const started = Date.now();
  const root = new Rng(options.seed);
  const samplingRng = root.fork();
  const augmentationRng = root.fork();
  let history: EpochRecord[] = [];
  let firstEpoch = 0;
  let trainSeconds = 0;
  let lastCheckpoint: LastCheckpoint | undefined;

  // Every check before the first write: a refused resume leaves the folder as it was.
  const saved = options.resume && folder ? loadCheckedCheckpoint(folder, config, epochs, log) : undefined;
  if (saved) {
    const { state, file } = saved;
    restoreWeights(task.model, state.weights, file);
    optimizer.load(state.optimizer, task.model.trainableVariables);
    sampler.load(state.sampler);
    samplingRng.load(state.rng.sampling);
    augmentationRng.load(state.rng.augmentation);
    history = state.history;
    firstEpoch = state.nextEpoch;
    trainSeconds = state.trainSeconds;
    lastCheckpoint = { file, nextEpoch: state.nextEpoch };
    log(`[ausam] resumed from ${file} at epoch ${firstEpoch}/${epochs}`);
  }
  folder?.writeJson(RUN_FILES.config, config);
  // Epochs recorded after the checkpoint (or before any) are trained again: drop their records.
  if (options.resume) folder?.rewriteMetrics(history);

  const checkStop = async (epoch: number) => {
    if (!stop) return;
    // Signal handlers run on the event loop: let it turn between steps.
    await new Promise((resolve) => setImmediate(resolve));
    const signal = stop.requested();
    if (signal) throw new RunStoppedError(signal, stopDetail(epoch, epochs, folder, lastCheckpoint));
  };
  for (let epoch = firstEpoch; epoch < epochs; epoch++) {
    await checkStop(epoch);
    const record = await trainEpoch(options, sampler, epoch, samplingRng, augmentationRng, checkStop);
    trainSeconds += record.trainSeconds;
    if ((epoch + 1) % evaluateEvery === 0 || epoch === epochs - 1) record.eval = await evaluateAll(options, epoch, record.learningRate);
    history.push(record);
    log(formatEpoch(record, epochs));
    await options.onEpochEnd?.(record);
    folder?.rewriteMetrics(history);
    if (folder && ((epoch + 1) % checkpointEvery === 0 || epoch === epochs - 1)) {
      const checkpoint: TrainerCheckpoint = {
        version: 2,
        nextEpoch: epoch + 1,
        config,
        weights: snapshotWeights(task.model),
        optimizer: optimizer.state(),
        sampler: sampler.state(),
        rng: { sampling: samplingRng.state(), augmentation: augmentationRng.state() },
        history,
        trainSeconds,
      };
      lastCheckpoint = { file: folder.saveCheckpoint(checkpoint), nextEpoch: epoch + 1 };
    }
  }

  const last = history[history.length - 1];
  const totalPlanned = history.reduce((sum, r) => sum + r.samplesPerSecond * r.trainSeconds, 0);
  const summary: TrainingSummary = {
    method: optimizer.name,
    sampler: sampler.name,
    epochs,
    wallSeconds: (Date.now() - started) / 1000,
    trainSeconds,
    samplesPerSecond: trainSeconds > 0 ? totalPlanned / trainSeconds : 0,
    fractionOfSamWork: history.reduce((sum, r) => sum + r.fractionOfSamWork, 0) / Math.max(1, history.length),
    finalTrainLoss: last?.trainLoss ?? Number.NaN,
    final: last?.eval ?? (await evaluateAll(options)),
    history,
  };
  folder?.writeJson(RUN_FILES.summary, summary);
  return summary;
}

/**
 * The checkpoint a resume continues from, after checking that the run's config matches the one it
 * was trained with (else {@link ResumeMismatchError}). Without a checkpoint, config.json is checked
 * the same way and the run starts again from epoch 0 (undefined).
 */
function loadCheckedCheckpoint(
  folder: RunFolder,
  config: unknown,
  epochs: number,
  log: (line: string) => void,
): { state: TrainerCheckpoint; file: string } | undefined {
  const saved = folder.loadCheckpoint<TrainerCheckpoint>(log);
  const source = saved ? saved.file : folder.file(RUN_FILES.config);
  const savedConfig = saved ? saved.state.config : folder.readJson(RUN_FILES.config);
  if (savedConfig === undefined) {
    log(`[ausam] warning: ${source} carries no config (written by an older version): the new config could not be checked against it`);
  } else {
    const mismatches = compareRunConfigs(savedConfig, config);
    if (mismatches.length > 0) throw new ResumeMismatchError(folder.dir, source, mismatches);
  }
  if (saved && epochs < saved.state.nextEpoch) {
    throw new ResumeMismatchError(folder.dir, source, [{ key: 'epochs', saved: `(${saved.state.nextEpoch} trained)`, current: String(epochs) }]);
  }
  if (saved && savedConfig !== undefined) {
    const before = (savedConfig as { epochs?: unknown }).epochs;
    if (typeof before === 'number' && before !== epochs) log(`[ausam] resume: epochs ${before} → ${epochs}; the learning-rate schedule now spans ${epochs} epochs`);
  }
  return saved;
}

/** The end of a {@link RunStoppedError}'s one line: where `--resume` continues from. */
function stopDetail(epoch: number, epochs: number, folder: RunFolder | undefined, last: LastCheckpoint | undefined): string {
  const where = `during epoch ${epoch + 1}/${epochs}`;
  if (!folder) return `${where}; no output folder, so there is nothing to resume`;
  if (!last) return `${where}, before the first checkpoint: --resume (train option resume) starts ${folder.dir} again from epoch 1`;
  return `${where}: --resume (train option resume) continues from ${last.file} (after epoch ${last.nextEpoch}/${epochs})`;
}

/** `value` as plain JSON data (what config.json and the checkpoint store, and resume compares). */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** config.json of a run given no `config`: what the trainer itself was told. */
function describeRun<B extends Batch>(options: TrainOptions<B>, sampler: DataSampler): Record<string, unknown> {
  return {
    task: options.task.name,
    method: options.optimizer.name,
    sampler: sampler.name,
    epochs: options.epochs,
    batchSize: options.batchSize,
    evalBatchSize: options.evalBatchSize ?? DEFAULT_EVAL_BATCH_SIZE,
    evaluateEvery: options.evaluateEvery ?? 1,
    checkpointEvery: options.checkpointEvery ?? 1,
    seed: options.seed,
    trainSetSize: options.trainSet.size,
    evalSets: Object.fromEntries(Object.entries(options.evalSets ?? {}).map(([name, set]) => [name, { size: set.size }])),
    learningRatePerEpoch: Array.from({ length: options.epochs }, (_, e) => options.learningRate.at(e)),
  };
}

async function trainEpoch<B extends Batch>(
  options: TrainOptions<B>,
  sampler: DataSampler,
  epoch: number,
  samplingRng: Rng,
  augmentationRng: Rng,
  checkStop: (epoch: number) => Promise<void>,
): Promise<EpochRecord> {
  const { task, trainSet, optimizer, epochs, batchSize } = options;
  const started = process.hrtime.bigint();
  let samplerNanoseconds = 0n;
  const timed = <T>(work: () => T): T => {
    const t0 = process.hrtime.bigint();
    const out = work();
    samplerNanoseconds += process.hrtime.bigint() - t0;
    return out;
  };
  const plan = timed(() => sampler.planEpoch(epoch, epochs, samplingRng));
  checkIdRange(plan.ids, trainSet.size, `${sampler.name}: DataSampler.planEpoch(${epoch})`);
  const weightById = plan.weights ? new Map(Array.from(plan.ids, (id, k) => [id, plan.weights![k]])) : undefined;
  const stepsPerEpoch = Math.ceil(plan.ids.length / batchSize);
  const dispose = (batch: B) => task.disposeBatch(batch);
  const batches = checkedDataset(trainSet, `${task.name}: training set`, dispose).batches(plan.ids, batchSize, augmentationRng);
  const progress = startEpochProgress(`epoch ${epoch + 1}/${epochs}`, plan.ids.length, options.progress ?? true);
  let step = 0;
  let lossSum = 0;
  let lossCount = 0;
  let gradientPasses = 0;
  let sharpnessSteps = 0;
  let learningRate = options.learningRate.at(epoch);
  try {
    for await (const batch of batches) {
      learningRate = options.learningRate.at(epoch + step / Math.max(1, stepsPerEpoch));
      let subset = batch;
      let result: StepResult;
      try {
        const weights = weightById ? Float32Array.from(batch.ids, (id) => weightById.get(id)!) : undefined;
        const selection = timed(() => sampler.selectInBatch?.(batch.ids, weights, samplingRng));
        if (selection && selection.positions.length < batch.ids.length) {
          subset = task.selectSamples(batch, selection.positions);
          checkSubset(task, batch, subset, selection.positions);
        }
        result = optimizer.step({ task, batch: subset, learningRate, sampleWeights: selection ? selection.weights : weights, passes: options.passes });
      } finally {
        if (subset !== batch) task.disposeBatch(subset);
        task.disposeBatch(batch);
      }
      for (let k = 0; k < result.lossBefore.length; k++) {
        if (!Number.isFinite(result.lossBefore[k])) {
          throw new NonFiniteLossError(epoch, step, Array.from(result.ids), learningRate);
        }
        lossSum += result.lossBefore[k];
        lossCount++;
      }
      timed(() => sampler.observe(result));
      gradientPasses += result.sampleGradientPasses;
      if (result.sharpnessStep) sharpnessSteps++;
      progress.tick(batch.ids.length, lossSum / Math.max(1, lossCount));
      step++;
      await checkStop(epoch);
    }
  } finally {
    progress.stop();
  }
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    epoch,
    learningRate,
    trainLoss: lossSum / Math.max(1, lossCount),
    trainSeconds,
    samplesPerSecond: plan.ids.length / trainSeconds,
    fractionOfSamWork: gradientPasses / (2 * Math.max(1, trainSet.size)),
    sharpnessStepFraction: sharpnessSteps / Math.max(1, step),
    samplerSeconds: Number(samplerNanoseconds) / 1e9,
    sampler: sampler.describe?.(),
  };
}

/** `task.selectSamples(batch, positions)` returned the samples at `positions`, one tensor row each. */
function checkSubset<B extends Batch>(task: Task<B>, batch: B, subset: B, positions: Int32Array): void {
  const problem = batchProblem(subset, Int32Array.from(positions, (p) => batch.ids[p]));
  if (problem) throw new TaskContractError(`${task.name}: Task.selectSamples(batch, [${positions.length} positions])`, problem.expected, problem.found);
}

/**
 * Every evaluation split's metrics, checked: numbers only (else {@link TaskContractError}); a
 * diverged loss stops the run ({@link NonFiniteMetricError}).
 */
async function evaluateAll<B extends Batch>(
  options: TrainOptions<B>,
  epoch?: number,
  learningRate?: number,
): Promise<Record<string, Record<string, number>>> {
  const { task } = options;
  const dispose = (batch: B) => task.disposeBatch(batch);
  const out: Record<string, Record<string, number>> = {};
  for (const [split, dataset] of Object.entries(options.evalSets ?? {})) {
    const checked = checkedDataset(dataset, `${task.name}: evaluation split '${split}'`, dispose);
    const metrics: unknown = await task.evaluate(checked, { batchSize: options.evalBatchSize ?? DEFAULT_EVAL_BATCH_SIZE });
    checkMetricTypes(metrics, `${task.name}: Task.evaluate on split '${split}'`);
    const diverged = divergedMetric(metrics);
    if (diverged) throw new NonFiniteMetricError(split, diverged[0], diverged[1], epoch, learningRate);
    out[split] = metrics;
  }
  return out;
}

function formatEpoch(record: EpochRecord, epochs: number): string {
  const evals = Object.entries(record.eval ?? {})
    // At most four metrics per split on the console (e.g. not every joint's PCKh); metrics.jsonl has all.
    .map(([split, metrics]) => `${split} ${Object.entries(metrics).slice(0, 4).map(([k, v]) => `${k}=${round(v)}`).join(' ')}`)
    .join(' | ');
  return (
    `[ausam] epoch ${record.epoch + 1}/${epochs} loss=${round(record.trainLoss)} lr=${round(record.learningRate)} ` +
    `${record.trainSeconds.toFixed(1)}s ${record.samplesPerSecond.toFixed(0)} samples/s ` +
    `work=${(100 * record.fractionOfSamWork).toFixed(0)}% of SAM${evals ? ' | ' + evals : ''}`
  );
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}

