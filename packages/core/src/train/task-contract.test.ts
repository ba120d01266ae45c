import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { buildMethod, type MethodName } from '../methods/build-method';
import { Sgd } from '../optim/base/sgd';
import { Sam } from '../optim/sharpness/sam';
import type { DataSampler } from '../sampling/data-sampler';
import { UniformSubsetSampler } from '../sampling/uniform-subset-sampler';
import type { Dataset, EvaluateOptions, ForwardMode } from '../task/contracts';
import { TaskContractError } from '../task/task-contract-error';
import { NonFiniteMetricError } from './non-finite-metric-error';
import { train, type TrainOptions } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const trainSet = new TwoMoonsDataset(100, 1);
const testSet = new TwoMoonsDataset(40, 2);

/** Two moons whose perSampleLoss returns the batch mean, a scalar: the commonest plugin mistake. */
class MeanLossTask extends TwoMoonsTask {
  override perSampleLoss(batch: PointBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => tf.mean(super.perSampleLoss(batch, mode))) as unknown as tf.Tensor1D;
  }
}

/** Runs `train` expecting it to throw; returns the error, and checks no tensor outlives the run. */
async function failingRun(options: Partial<TrainOptions<PointBatch>> & { method?: MethodName }): Promise<Error> {
  const task = options.task ?? new TwoMoonsTask(3);
  const built = buildMethod({ method: options.method ?? 'sgd', rho: 0.05 }, trainSet.size, 1);
  const optimizer = options.optimizer ?? built.optimizer;
  const tensorsBefore = tf.memory().numTensors;
  let caught: Error | undefined;
  try {
    await train({
      task,
      trainSet,
      evalSets: { test: testSet },
      sampler: built.sampler,
      learningRate: { at: () => 0.1 },
      epochs: 2,
      batchSize: 32,
      seed: 1,
      progress: false,
      log: () => {},
      ...options,
      optimizer,
    });
  } catch (error) {
    caught = error as Error;
  }
  optimizer.dispose();
  built.optimizer.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  if (!caught) throw new Error('expected train() to throw');
  return caught;
}

/** `trainSet` with its `batches` replaced. */
function datasetYielding(batches: (ids: Int32Array, batchSize: number) => AsyncIterable<PointBatch>): Dataset<PointBatch> {
  return { size: trainSet.size, batches };
}

describe('task contract checks', () => {
  it.each(['sgd', 'sam', 'esam', 'ausam', 'infobatch'] as const)('%s: a scalar perSampleLoss is a TaskContractError at the first step', async (method) => {
    const error = await failingRun({ method, task: new MeanLossTask(3) });
    expect(error).toBeInstanceOf(TaskContractError);
    expect(error.message).toMatch(/^two-moons: Task\.perSampleLoss: expected a loss of shape \[\d+\] \(one per batch id\), found shape \[\] — return the per-sample losses/);
  });

  it('a dataset ignoring the requested ids', async () => {
    const ignoring = datasetYielding(async function* (ids, batchSize) {
      for (let start = 0; start < ids.length; start += batchSize) {
        yield trainSet.gather(Int32Array.from({ length: Math.min(batchSize, ids.length - start) }, (_, k) => start + k));
      }
    });
    const error = await failingRun({ trainSet: ignoring });
    expect(error).toBeInstanceOf(TaskContractError);
    expect(error.message).toMatch(/^two-moons: training set: Dataset\.batches\(ids, 32\), batch 1 of 4: expected ids \[.*\], found ids \[0, 1, 2, .*first difference at position \d+/);
  });

  it('a dataset ignoring the batch size', async () => {
    const oneBatch = datasetYielding(async function* (ids) {
      yield trainSet.gather(ids);
    });
    const error = await failingRun({ trainSet: oneBatch });
    expect(error.message).toMatch(/batch 1 of 4: expected a batch of 32 ids \[.*\], found 100 ids/);
  });

  it('a dataset dropping the last, smaller batch', async () => {
    const dropLast = datasetYielding(async function* (ids, batchSize) {
      for (let start = 0; start + batchSize <= ids.length; start += batchSize) yield trainSet.gather(ids.slice(start, start + batchSize));
    });
    const error = await failingRun({ trainSet: dropLast });
    expect(error.message).toBe(
      'two-moons: training set: Dataset.batches(ids, 32): expected 4 batches covering all 100 ids (only the last one may be smaller), found 3 batches covering 96 ids',
    );
  });

  it('a batch whose tensors are one row short', async () => {
    const short = datasetYielding(async function* (ids, batchSize) {
      for (let start = 0; start < ids.length; start += batchSize) {
        const batch = trainSet.gather(ids.slice(start, start + batchSize));
        const labels = tf.slice(batch.labels, 0, batch.ids.length - 1);
        batch.labels.dispose();
        yield { ...batch, labels };
      }
    });
    const error = await failingRun({ trainSet: short });
    expect(error.message).toMatch(/batch 1 of 4: expected 'labels' with 32 rows along axis 0 \(one per id\), found shape \[31\]$/);
  });

  it('selectSamples returning other samples than the positions asked for', async () => {
    class FirstSamplesTask extends TwoMoonsTask {
      override selectSamples(batch: PointBatch, positions: Int32Array): PointBatch {
        return super.selectSamples(batch, Int32Array.from(positions, (_, k) => k));
      }
    }
    const error = await failingRun({
      task: new FirstSamplesTask(3),
      optimizer: new Sam(new Sgd(), { rho: 0.05 }),
      sampler: new UniformSubsetSampler(trainSet.size, 0.5, 0),
    });
    expect(error.message).toMatch(/^two-moons: Task\.selectSamples\(batch, \[16 positions\]\): expected ids \[.*\], found ids \[.*first difference/);
  });

  it('a sampler planning ids outside the dataset', async () => {
    const sampler: DataSampler = {
      name: 'broken',
      planEpoch: () => ({ ids: Int32Array.from([0, 1, 100, 2]) }),
      observe: () => {},
      state: () => ({}),
      load: () => {},
    };
    const error = await failingRun({ sampler });
    expect(error.message).toBe('broken: DataSampler.planEpoch(0): expected sample ids in 0..99 (the dataset\'s size is 100), found id 100 at position 2');
  });

  it('evaluate returning something other than numbers', async () => {
    class StringMetricTask extends TwoMoonsTask {
      override async evaluate(dataset: Dataset<PointBatch>, options?: EvaluateOptions): Promise<Record<string, number>> {
        const metrics = await super.evaluate(dataset, options);
        return { ...metrics, accuracy: metrics.accuracy.toFixed(2) as unknown as number };
      }
    }
    const error = await failingRun({ task: new StringMetricTask(3) });
    expect(error.message).toMatch(/^two-moons: Task\.evaluate on split 'test': expected a number for metric 'accuracy', found string "0\.\d\d"$/);
  });

  it('a dataset breaking the contract during evaluation is caught there too', async () => {
    const shortEval: Dataset<PointBatch> = {
      size: testSet.size,
      async *batches(ids, batchSize) {
        for (let start = 0; start + batchSize <= ids.length; start += batchSize) yield testSet.gather(ids.slice(start, start + batchSize));
      },
    };
    const error = await failingRun({ evalSets: { test: shortEval }, epochs: 1 });
    expect(error.message).toMatch(/^two-moons: evaluation split 'test': Dataset\.batches\(ids, 256\): expected 1 batches covering all 40 ids/);
  });
});

describe('non-finite evaluation metrics', () => {
  class MetricsTask extends TwoMoonsTask {
    constructor(private readonly metrics: Record<string, number>) {
      super(3);
    }
    override async evaluate(): Promise<Record<string, number>> {
      return this.metrics;
    }
  }

  it('a NaN evaluation loss stops the run like a NaN training loss', async () => {
    const error = await failingRun({ task: new MetricsTask({ accuracy: 0.08, loss: Number.NaN }) });
    expect(error).toBeInstanceOf(NonFiniteMetricError);
    expect(error.message).toBe(
      'non-finite evaluation metric test.loss = NaN after epoch 1 (learning rate 0.1): the weights diverged; lower the learning rate or rho, or check the inputs of that split',
    );
  });

  it('an infinite metric stops the run; a NaN metric that is not a loss (undefined on the split) does not', async () => {
    const error = await failingRun({ task: new MetricsTask({ ap: Infinity, loss: 0.5 }) });
    expect(error.message).toMatch(/^non-finite evaluation metric test\.ap = Infinity after epoch 1/);
    const task = new MetricsTask({ pckh: 40, pckh_head: Number.NaN, loss: 0.01 });
    const { optimizer } = buildMethod({ method: 'sgd' }, trainSet.size, 1);
    const summary = await train({ task, trainSet, evalSets: { test: testSet }, optimizer, learningRate: { at: () => 0.1 }, epochs: 1, batchSize: 32, seed: 1, progress: false, log: () => {} });
    expect(summary.final.test.pckh_head).toBeNaN();
    optimizer.dispose();
  });
});
