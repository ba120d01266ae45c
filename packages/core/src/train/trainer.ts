import * as fs from 'fs';
import * as path from 'path';
import type { LearningRateSchedule } from '../optim/schedule/learning-rate-schedule';
import type { SharpnessOptimizer, StepResult } from '../optim/sharpness/sharpness-optimizer';
import { Rng } from '../random/rng';
import type { DataSampler } from '../sampling/data-sampler';
import { FullDataSampler } from '../sampling/full-data-sampler';
import type { Batch, Dataset, Task } from '../task/contracts';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { restoreWeights, snapshotWeights } from './model-weights';
import { NonFiniteLossError } from './non-finite-loss-error';
import { startEpochProgress } from './progress';

export interface TrainOptions<B extends Batch> {
  task: Task<B>;
  trainSet: Dataset<B>;
  /** Splits evaluated every `evaluateEvery` epochs and at the end, e.g. `{ test }`. */
  evalSets?: Record<string, Dataset<B>>;
  optimizer: SharpnessOptimizer;
  /** Which samples to train on; default: all, reshuffled each epoch. */
  sampler?: DataSampler;
  learningRate: LearningRateSchedule;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Run folder: config.json, metrics.jsonl, checkpoint.ausam, summary.json. None: nothing written. */
  outputDir?: string;
  evaluateEvery?: number;
  evalBatchSize?: number;
  checkpointEvery?: number;
  /** Continue from `outputDir/checkpoint.ausam` if it exists. */
  resume?: boolean;
  /** Live progress bar on stderr (default: true). */
  progress?: boolean;
  /** The resolved run configuration, saved verbatim for reproducibility. */
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
  version: 1;
  nextEpoch: number;
  weights: Record<string, Float32Array>;
  optimizer: unknown;
  sampler: unknown;
  rng: { sampling: number[]; augmentation: number[] };
  history: EpochRecord[];
  trainSeconds: number;
}

const CHECKPOINT = 'checkpoint.ausam';

/**
 * The epoch loop: the sampler plans each epoch (and may pick a subset of each batch), the optimizer
 * steps, the sampler observes per-sample losses. Writes metrics, atomic checkpoints and a summary;
 * `resume` continues the same trajectory (weights, optimizer, sampler scores, RNG streams).
 */
export async function train<B extends Batch>(options: TrainOptions<B>): Promise<TrainingSummary> {
  const { task, trainSet, optimizer, epochs, batchSize } = options;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new RangeError(`epochs must be a positive integer, found ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive integer, found ${batchSize}`);
  const log = options.log ?? ((line: string) => console.error(line));
  const sampler = options.sampler ?? new FullDataSampler(trainSet.size);
  const evaluateEvery = options.evaluateEvery ?? 1;
  const checkpointEvery = options.checkpointEvery ?? 1;
  const started = Date.now();
  const root = new Rng(options.seed);
  const samplingRng = root.fork();
  const augmentationRng = root.fork();
  let history: EpochRecord[] = [];
  let firstEpoch = 0;
  let trainSeconds = 0;

  const checkpointPath = options.outputDir ? path.join(options.outputDir, CHECKPOINT) : undefined;
  if (options.outputDir) {
    fs.mkdirSync(options.outputDir, { recursive: true });
    if (!options.resume) {
      fs.rmSync(path.join(options.outputDir, 'metrics.jsonl'), { force: true });
      fs.rmSync(checkpointPath!, { force: true });
    }
    if (options.config !== undefined) {
      fs.writeFileSync(path.join(options.outputDir, 'config.json'), JSON.stringify(options.config, null, 2) + '\n');
    }
  }
  if (options.resume && checkpointPath && fs.existsSync(checkpointPath)) {
    const saved = readCheckpointFile<TrainerCheckpoint>(checkpointPath);
    restoreWeights(task.model, saved.weights, checkpointPath);
    optimizer.load(saved.optimizer, task.model.trainableVariables);
    sampler.load(saved.sampler);
    samplingRng.load(saved.rng.sampling);
    augmentationRng.load(saved.rng.augmentation);
    history = saved.history;
    firstEpoch = saved.nextEpoch;
    trainSeconds = saved.trainSeconds;
    log(`[ausam] resumed from ${checkpointPath} at epoch ${firstEpoch}/${epochs}`);
  }

  for (let epoch = firstEpoch; epoch < epochs; epoch++) {
    const record = await trainEpoch(options, sampler, epoch, samplingRng, augmentationRng);
    trainSeconds += record.trainSeconds;
    if ((epoch + 1) % evaluateEvery === 0 || epoch === epochs - 1) record.eval = await evaluateAll(options);
    history.push(record);
    log(formatEpoch(record, epochs));
    await options.onEpochEnd?.(record);
    if (options.outputDir) {
      fs.appendFileSync(path.join(options.outputDir, 'metrics.jsonl'), JSON.stringify(record) + '\n');
    }
    if (checkpointPath && ((epoch + 1) % checkpointEvery === 0 || epoch === epochs - 1)) {
      const checkpoint: TrainerCheckpoint = {
        version: 1,
        nextEpoch: epoch + 1,
        weights: snapshotWeights(task.model),
        optimizer: optimizer.state(),
        sampler: sampler.state(),
        rng: { sampling: samplingRng.state(), augmentation: augmentationRng.state() },
        history,
        trainSeconds,
      };
      writeCheckpointFile(checkpointPath, checkpoint);
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
  if (options.outputDir) {
    fs.writeFileSync(path.join(options.outputDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }
  return summary;
}

async function trainEpoch<B extends Batch>(
  options: TrainOptions<B>,
  sampler: DataSampler,
  epoch: number,
  samplingRng: Rng,
  augmentationRng: Rng,
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
  const weightById = plan.weights ? new Map(Array.from(plan.ids, (id, k) => [id, plan.weights![k]])) : undefined;
  const stepsPerEpoch = Math.ceil(plan.ids.length / batchSize);
  const progress = startEpochProgress(`epoch ${epoch + 1}/${epochs}`, plan.ids.length, options.progress ?? true);
  let step = 0;
  let lossSum = 0;
  let lossCount = 0;
  let gradientPasses = 0;
  let sharpnessSteps = 0;
  let learningRate = options.learningRate.at(epoch);
  try {
    for await (const batch of trainSet.batches(plan.ids, batchSize, augmentationRng)) {
      learningRate = options.learningRate.at(epoch + step / Math.max(1, stepsPerEpoch));
      const weights = weightById ? Float32Array.from(batch.ids, (id) => weightById.get(id)!) : undefined;
      const selection = timed(() => sampler.selectInBatch?.(batch.ids, weights, samplingRng));
      const subset = selection && selection.positions.length < batch.ids.length ? task.selectSamples(batch, selection.positions) : batch;
      let result: StepResult;
      try {
        result = optimizer.step({ task, batch: subset, learningRate, sampleWeights: selection ? selection.weights : weights });
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

async function evaluateAll<B extends Batch>(options: TrainOptions<B>): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, dataset] of Object.entries(options.evalSets ?? {})) {
    out[name] = await options.task.evaluate(dataset, { batchSize: options.evalBatchSize ?? 256 });
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

