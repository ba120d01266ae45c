import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LinearRegressionTask } from '../../example/linear-regression-task';
import { TwoMoonsDataset } from '../../example/two-moons-dataset';
import { TwoMoonsTask } from '../../example/two-moons-task';
import { Sgd } from '../base/sgd';
import { FIRST_PASS } from '../../passes/forward-modes';
import { Perturbation } from './perturbation';
import { Sam } from './sam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two samples: x₁ = [1, 0], y₁ = 1; x₂ = [0, 2], y₂ = 0; w = [0.5, 0.5].
const inputs = [
  [1, 0],
  [0, 2],
];
const targets = [1, 0];

describe('Sam', () => {
  it('takes the hand-computed SAM step (ρ = 0.1, plain SGD lr 0.1)', () => {
    const task = new LinearRegressionTask([0.5, 0.5]);
    const batch = task.batch([0, 1], inputs, targets);
    const sam = new Sam(new Sgd(), { rho: 0.1 });
    const result = sam.step({ task, batch, learningRate: 0.1 });
    // residuals r = w·x − y = [−0.5, 1]; g = mean(rᵢxᵢ) = [−0.25, 1]
    const g = [-0.25, 1];
    const norm = Math.hypot(...g);
    const perturbed = [0.5 + (0.1 * g[0]) / norm, 0.5 + (0.1 * g[1]) / norm];
    const r = [perturbed[0] - 1, 2 * perturbed[1]];
    const samGradient = [(r[0] * 1) / 2, (r[1] * 2) / 2];
    const expected = [0.5 - 0.1 * samGradient[0], 0.5 - 0.1 * samGradient[1]];
    Array.from(task.weights.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(Array.from(result.lossBefore)).toEqual([0.125, 0.5]);
    Array.from(result.lossAfter).forEach((v, i) => expect(v).toBeCloseTo(0.5 * r[i] ** 2, 6));
    expect(result.sampleGradientPasses).toBe(4);
    expect(result.sharpnessStep).toBe(true);
    sam.dispose();
    task.disposeBatch(batch);
  });

  it('ASAM scales the ascent by T² = (|w| + η)² and the norm by ‖Tg‖', () => {
    const task = new LinearRegressionTask([0.5, -2]);
    const g = [0.3, -0.4];
    const perturbation = new Perturbation({ rho: 0.5, adaptive: true, eta: 0.01 });
    perturbation.perturb([task.weights], [tf.tensor1d(g)]);
    const t = [0.51, 2.01];
    const tg = [t[0] * g[0], t[1] * g[1]];
    const norm = Math.hypot(...tg);
    const expected = [0.5 + (0.5 * t[0] * tg[0]) / norm, -2 + (0.5 * t[1] * tg[1]) / norm];
    Array.from(task.weights.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    perturbation.restore();
  });

  it('restores the weights bit for bit after perturbing', () => {
    const task = new TwoMoonsTask(3);
    const before = task.model.trainableVariables.map((v) => (v.dataSync() as Float32Array).slice());
    const gradients = task.model.trainableVariables.map((v) => tf.randomNormal(v.shape, 0, 1, 'float32', 11));
    const perturbation = new Perturbation({ rho: 0.37 });
    perturbation.perturb(task.model.trainableVariables, gradients);
    expect(task.model.trainableVariables[0].dataSync()).not.toEqual(before[0]);
    perturbation.restore();
    task.model.trainableVariables.forEach((v, i) => expect(v.dataSync()).toEqual(before[i]));
    expect(() => perturbation.restore()).toThrow(/nothing to restore/);
    gradients.forEach((t) => t.dispose());
  });

  it('moves BatchNorm running statistics on the first pass only', () => {
    const data = new TwoMoonsDataset(16, 1);
    const withSam = new TwoMoonsTask(5);
    const reference = new TwoMoonsTask(5);
    const batch = data.gather(Int32Array.from({ length: 16 }, (_, i) => i));
    const sam = new Sam(new Sgd(), { rho: 0.5 });
    sam.step({ task: withSam, batch, learningRate: 0.1 });
    // One statistics update at the original weights, as a single first pass would make.
    tf.tidy(() => reference.perSampleLoss(batch, FIRST_PASS));
    withSam.model.stateVariables.forEach((v, i) => expect(v.dataSync()).toEqual(reference.model.stateVariables[i].dataSync()));
    sam.dispose();
  });

  it('leaks no tensors over 100 steps', () => {
    const data = new TwoMoonsDataset(32, 2);
    const task = new TwoMoonsTask(6);
    const sam = new Sam(new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), { rho: 0.05 });
    const ids = Int32Array.from({ length: 32 }, (_, i) => i);
    const step = () => {
      const batch = data.gather(ids);
      sam.step({ task, batch, learningRate: 0.05 });
      task.disposeBatch(batch);
    };
    step();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(after1);
    sam.dispose();
  });
});
