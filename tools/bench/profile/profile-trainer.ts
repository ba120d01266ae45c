/**
 * Where a training epoch's time goes beyond `optimizer.step` (issue 14): one process runs one
 * phase, so that phases can be alternated from the shell on a shared machine.
 *
 *   npx tsx tools/bench/profile/profile-trainer.ts --phase trainer|random|real [--method sam|ausam]
 *     [--warmup-epochs 1] [--augmentation none|fashion-mnist] [--train-limit 20000] [--batch 128] [--threads 1]
 *
 * - `trainer`: core's `train()` for one epoch on the first `--train-limit` Fashion-MNIST training
 *   images (the demo config's data, model, method and cosine schedule; no evaluation, no run
 *   folder, no progress). The dataset, the optimizer, the sampler and the task are wrapped so that
 *   the process CPU time (`process.cpuUsage`) of each of their calls is summed: batch assembly
 *   (`Dataset.batches`' iterator), `sampler.*`, `task.selectSamples`/`disposeBatch`, and
 *   `optimizer.step`. What is left of the epoch's CPU time is the trainer's own (contract checks,
 *   weights, loss sums, progress).
 * `--method ausam --warmup-epochs 0` samples from the first step (the demo's one warm-up epoch is
 * full SAM, so `--epochs 1` of the demo never samples).
 * `--augmentation fashion-mnist` trains on the loader's default random crop (padding 4) instead of
 * the demo's none, to time the augmentation inside `dataset.batches`.
 * - `random`: the bare step as `tools/bench/throughput/measure-ours.ts` runs it, on the fixed random
 *   batch, as many steps as the trainer's epoch, at the trainer's learning rates.
 * - `real`: the bare step on the trainer's own batches (the same shuffled order), assembled
 *   before timing, so it differs from `trainer` only by the trainer's loop.
 *
 * Prints one JSON line: CPU ms per step of each part, images/s by CPU and by wall time.
 * Data: `/usr/share/datasets/fashion-mnist` (`npm run setup`), or `--dataset-path`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  buildMethod,
  buildSchedule,
  FullDataSampler,
  Rng,
  selectBackend,
  train,
  type DataSampler,
  type SharpnessOptimizer,
} from '@ausam/core';
import { ClassificationTask, createModel, FASHION_MNIST_AUGMENTATION, loadFashionMnist, type ClassificationBatch } from '@ausam/classification';
import { randomClassificationBatch } from '../throughput/random-batch';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] === undefined ? fallback : process.argv[i + 1];
}

const phase = option('phase', 'trainer');
const method = option('method', 'sam') as 'sam' | 'ausam';
const trainLimit = Number(option('train-limit', '20000'));
const batchSize = Number(option('batch', '128'));
const threads = option('threads', '1');
const warmupEpochs = Number(option('warmup-epochs', '1'));
const augmentation = option('augmentation', 'none');
const datasetPath = option('dataset-path', '/usr/share/datasets/fashion-mnist');
const SEED = 1;
if (!['trainer', 'random', 'real'].includes(phase)) throw new Error(`--phase: expected trainer|random|real, found '${phase}'`);
if (!['none', 'fashion-mnist'].includes(augmentation)) throw new Error(`--augmentation: expected none|fashion-mnist, found '${augmentation}'`);
if (!['sam', 'ausam'].includes(method)) throw new Error(`--method: expected sam|ausam, found '${method}'`);

/** Sums the process CPU time of the calls it wraps, per label, in microseconds. */
class CpuLedger {
  readonly micros = new Map<string, number>();

  timed<T>(label: string, work: () => T): T {
    const start = process.cpuUsage();
    try {
      return work();
    } finally {
      const spent = process.cpuUsage(start);
      this.micros.set(label, (this.micros.get(label) ?? 0) + spent.user + spent.system);
    }
  }

  async timedAsync<T>(label: string, work: () => Promise<T>): Promise<T> {
    const start = process.cpuUsage();
    try {
      return await work();
    } finally {
      const spent = process.cpuUsage(start);
      this.micros.set(label, (this.micros.get(label) ?? 0) + spent.user + spent.system);
    }
  }
}

async function main(): Promise<void> {
  process.env.AUSAM_WASM_THREADS = threads;
  await selectBackend({ force: 'wasm', log: () => {} });
  const loaded = await loadFashionMnist(datasetPath);
  // The demo config: no augmentation, the first `trainLimit` images.
  const trainSet = loaded.train.with({ augmentation: augmentation === 'none' ? {} : FASHION_MNIST_AUGMENTATION }).subset(Math.min(trainLimit, loaded.train.size));
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: SEED });
  const task = new ClassificationTask(model);
  const spec = method === 'sam' ? { method, rho: 0.05 } : { method, rho: 0.05, ratio: 0.5, warmupEpochs };
  const { optimizer, sampler } = buildMethod(spec, trainSet.size, SEED);
  const schedule = buildSchedule({ kind: 'cosine', lr: 0.05 }, 1);
  const steps = Math.ceil(trainSet.size / batchSize);
  const learningRateAt = (step: number) => schedule.at(step / steps);
  const ledger = new CpuLedger();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();

  if (phase === 'trainer') {
    await train({
      task: wrapTask(task, ledger),
      trainSet: {
        size: trainSet.size,
        batches: (ids, size, rng) => wrapIterable(trainSet.batches(ids, size, rng), ledger),
      },
      optimizer: wrapOptimizer(optimizer, ledger),
      sampler: wrapSampler(sampler, ledger),
      learningRate: schedule,
      epochs: 1,
      batchSize,
      seed: SEED,
      progress: false,
      log: () => {},
    });
  } else {
    // The trainer's shuffled order: its sampling stream is the first fork of Rng(seed).
    const plan = new FullDataSampler(trainSet.size).planEpoch(0, 1, new Rng(SEED).fork());
    const batches: ClassificationBatch[] = [];
    if (phase === 'real') {
      for (let start = 0; start < plan.ids.length; start += batchSize) batches.push(trainSet.batch(plan.ids.subarray(start, start + batchSize)));
    } else {
      batches.push(randomClassificationBatch(batchSize, trainSet));
    }
    const samplingRng = new Rng(SEED + 1);
    sampler.planEpoch(0, 1, samplingRng);
    const timedStart = process.cpuUsage();
    const timedWall = performance.now();
    for (let step = 0; step < steps; step++) {
      const batch = batches[phase === 'real' ? step : 0];
      ledger.timed('optimizer.step', () => {
        const selection = sampler.selectInBatch?.(batch.ids, undefined, samplingRng);
        const subset = selection && selection.positions.length < batch.ids.length ? task.selectSamples(batch, selection.positions) : batch;
        try {
          sampler.observe(optimizer.step({ task, batch: subset, learningRate: learningRateAt(step) }));
        } finally {
          if (subset !== batch) task.disposeBatch(subset);
        }
      });
    }
    const spent = process.cpuUsage(timedStart);
    ledger.micros.set('epoch', spent.user + spent.system);
    ledger.micros.set('epochWallMicros', (performance.now() - timedWall) * 1000);
    for (const batch of batches) task.disposeBatch(batch);
  }

  const total = process.cpuUsage(cpuStart);
  const epochMicros = ledger.micros.get('epoch') ?? total.user + total.system;
  const wallMicros = ledger.micros.get('epochWallMicros') ?? (performance.now() - wallStart) * 1000;
  const perStep = (micros: number) => Number((micros / 1000 / steps).toFixed(2));
  const parts: Record<string, number> = {};
  let accounted = 0;
  for (const [label, micros] of ledger.micros) {
    if (label === 'epoch' || label === 'epochWallMicros') continue;
    parts[label] = perStep(micros);
    accounted += micros;
  }
  parts.rest = perStep(epochMicros - accounted);
  console.log(
    JSON.stringify({
      phase,
      method,
      warmupEpochs: method === 'ausam' ? warmupEpochs : undefined,
      augmentation,
      steps,
      tensorsLeft: tf.memory().numTensors,
      cpuMsPerStep: perStep(epochMicros),
      parts,
      imagesPerCpuSecond: Number(((trainSet.size * 1e6) / epochMicros).toFixed(1)),
      imagesPerWallSecond: Number(((trainSet.size * 1e6) / wallMicros).toFixed(1)),
      loadAverage: require('node:os').loadavg()[0],
    }),
  );
  optimizer.dispose();
  model.dispose();
}

function wrapTask(task: ClassificationTask, ledger: CpuLedger): ClassificationTask {
  return new Proxy(task, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'selectSamples' || property === 'disposeBatch') {
        return (...args: unknown[]) => ledger.timed(`task.${property}`, () => (value as (...a: unknown[]) => unknown).apply(target, args));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wrapOptimizer(optimizer: SharpnessOptimizer, ledger: CpuLedger): SharpnessOptimizer {
  return new Proxy(optimizer, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'step') return (input: never) => ledger.timed('optimizer.step', () => target.step(input));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wrapSampler(sampler: DataSampler, ledger: CpuLedger): DataSampler {
  return new Proxy(sampler, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => ledger.timed(`sampler.${String(property)}`, () => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

function wrapIterable<T>(iterable: AsyncIterable<T>, ledger: CpuLedger): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return { next: () => ledger.timedAsync('dataset.batches', () => iterator.next()) };
    },
  };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
