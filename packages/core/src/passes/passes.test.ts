import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset, type PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { buildMethod, METHOD_NAMES } from '../methods/build-method';
import { constantSchedule } from '../optim/schedule/schedules';
import type { Batch, ForwardMode, Task } from '../task/contracts';
import { snapshotWeights } from '../train/model-weights';
import { train } from '../train/trainer';
import { FIRST_PASS, PERTURBED_PASS } from './forward-modes';
import { localPasses } from './local-passes';
import type { LossAndGradients, Passes } from './passes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** {@link localPasses}, recording each pass it is handed (mode and batch size). */
class RecordingPasses implements Passes {
  readonly calls: string[] = [];

  lossAndGradients<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode, sampleWeights?: Float32Array): LossAndGradients {
    this.calls.push(`grad ${name(mode)} ${batch.ids.length}`);
    return localPasses.lossAndGradients(task, batch, mode, sampleWeights);
  }

  perSampleLoss<B extends Batch>(task: Task<B>, batch: B, mode: ForwardMode): Float32Array {
    this.calls.push(`loss ${name(mode)} ${batch.ids.length}`);
    return localPasses.perSampleLoss(task, batch, mode);
  }
}

function name(mode: ForwardMode): string {
  return mode === FIRST_PASS ? 'first' : mode === PERTURBED_PASS ? 'perturbed' : 'other';
}

function firstBatch(size: number): PointBatch {
  return new TwoMoonsDataset(size, 3).gather(Int32Array.from({ length: size }, (_, i) => i));
}

describe('localPasses', () => {
  it('returns the gradient of the weighted mean loss, (1/b)·Σ wᵢℓᵢ, as central differences do', () => {
    const task = new TwoMoonsTask(4, 4);
    const batch = firstBatch(6);
    const weights = Float32Array.from([0.5, 1, 2, 1, 0, 1.5]);
    const { perSampleLoss, gradients } = localPasses.lossAndGradients(task, batch, PERTURBED_PASS, weights);
    expect(perSampleLoss).toHaveLength(6);
    const variable = task.model.trainableVariables[0];
    const values = variable.dataSync().slice();
    const loss = () => {
      const losses = localPasses.perSampleLoss(task, batch, PERTURBED_PASS);
      return losses.reduce((sum, l, i) => sum + weights[i] * l, 0) / losses.length;
    };
    const analytic = gradients[0].dataSync();
    const h = 1e-2;
    for (const j of [0, 3]) {
      const shifted = values.slice();
      shifted[j] = values[j] + h;
      variable.assign(tf.tensor(shifted, variable.shape));
      const up = loss();
      shifted[j] = values[j] - h;
      variable.assign(tf.tensor(shifted, variable.shape));
      const down = loss();
      variable.assign(tf.tensor(values, variable.shape));
      expect(analytic[j]).toBeCloseTo((up - down) / (2 * h), 3);
    }
    tf.dispose(gradients);
    task.disposeBatch(batch);
  });
});

describe('passes handed in', () => {
  it.each(METHOD_NAMES.filter((m) => m !== 'sgd' && m !== 'esam'))('%s runs both SAM passes through the passes it is given', (method) => {
    const task = new TwoMoonsTask(5, 8);
    const batch = firstBatch(16);
    const { optimizer } = buildMethod({ method, rho: 0.05 }, 16, 1);
    const passes = new RecordingPasses();
    optimizer.step({ task, batch, learningRate: 0.1, passes });
    // Every method's first step is a SAM step (LookSAM, AE-SAM) or may be (SS-SAM: p = 0.5).
    expect(passes.calls[0]).toBe('grad first 16');
    expect(passes.calls.every((call) => call === 'grad first 16' || call === 'grad perturbed 16')).toBe(true);
    optimizer.dispose();
    task.disposeBatch(batch);
  });

  it('ESAM runs its selection pass and its subset pass through them; SGD its one pass', () => {
    const task = new TwoMoonsTask(5, 8);
    const batch = firstBatch(16);
    const esam = buildMethod({ method: 'esam', rho: 0.05, ratio: 0.5 }, 16, 1).optimizer;
    const passes = new RecordingPasses();
    esam.step({ task, batch, learningRate: 0.1, passes });
    expect(passes.calls).toEqual(['grad first 16', 'loss perturbed 16', 'grad perturbed 8']);
    const sgd = buildMethod({ method: 'sgd' }, 16, 1).optimizer;
    const sgdPasses = new RecordingPasses();
    sgd.step({ task, batch, learningRate: 0.1, passes: sgdPasses });
    expect(sgdPasses.calls).toEqual(['grad first 16']);
    esam.dispose();
    sgd.dispose();
    task.disposeBatch(batch);
  });

  it('train() hands its passes to every step, and trains to the same weights as with the default', async () => {
    const trainSet = new TwoMoonsDataset(64, 1);
    const run = async (passes?: Passes) => {
      const task = new TwoMoonsTask(7, 8);
      const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5 }, trainSet.size, 11);
      await train({ task, trainSet, optimizer, sampler, passes, learningRate: constantSchedule(0.1), epochs: 2, batchSize: 16, seed: 3, progress: false, log: () => {} });
      optimizer.dispose();
      return snapshotWeights(task.model);
    };
    const passes = new RecordingPasses();
    const handed = await run(passes);
    // epoch 1 (warm-up): SAM on all 16 of each of 4 batches; epoch 2: AUSAM's 8 of each batch.
    expect(passes.calls).toEqual([...Array(4).fill(['grad first 16', 'grad perturbed 16']).flat(), ...Array(4).fill(['grad first 8', 'grad perturbed 8']).flat()]);
    expect(handed).toEqual(await run());
  });
});
