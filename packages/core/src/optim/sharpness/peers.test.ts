import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TwoMoonsDataset } from '../../example/two-moons-dataset';
import { TwoMoonsTask } from '../../example/two-moons-task';
import { Sgd } from '../base/sgd';
import { AeSamPolicy } from './ae-sam-policy';
import { Esam, largestIncrease } from './esam';
import { LookSam } from './look-sam';
import type { SharpnessOptimizer, StepResult } from './sharpness-optimizer';
import { SometimesSam } from './sometimes-sam';
import { SsSamPolicy } from './ss-sam-policy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = new TwoMoonsDataset(24, 4);
const ids = Int32Array.from({ length: 24 }, (_, i) => i);

function run(optimizer: SharpnessOptimizer, steps: number, task = new TwoMoonsTask(1)): StepResult[] {
  const results: StepResult[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = data.gather(ids);
    results.push(optimizer.step({ task, batch, learningRate: 0.05 }));
    task.disposeBatch(batch);
  }
  return results;
}

describe('SAM-on-some-steps peers', () => {
  it('SS-SAM does SAM on a Bernoulli(p) fraction of steps', () => {
    expect(run(new SometimesSam(new Sgd(), { rho: 0.05 }, new SsSamPolicy(0, 1)), 5).every((r) => !r.sharpnessStep)).toBe(true);
    expect(run(new SometimesSam(new Sgd(), { rho: 0.05 }, new SsSamPolicy(1, 1)), 5).every((r) => r.sharpnessStep)).toBe(true);
    const policy = new SsSamPolicy(0.3, 7);
    const trials = 5000;
    let sam = 0;
    for (let t = 0; t < trials; t++) if (policy.shouldPerturb()) sam++;
    expect(Math.abs(sam - 0.3 * trials)).toBeLessThan(4.5 * Math.sqrt(trials * 0.21));
  });

  it('AE-SAM perturbs when ‖g‖² ≥ μ + c·σ of its moving statistics', () => {
    const policy = new AeSamPolicy(0, 0.5);
    expect(policy.shouldPerturb(1)).toBe(true); // first step
    expect(policy.shouldPerturb(0.5)).toBe(false); // below μ = 1
    // μ = 0.75, σ² = 0.5·(0.5 − 0.75)² = 0.03125
    expect(policy.shouldPerturb(0.8)).toBe(true);
    const withThreshold = new AeSamPolicy(2, 0.5);
    withThreshold.load(policy.state());
    expect(withThreshold.shouldPerturb(0.8)).toBe(false);
  });

  it('LookSAM does full SAM every k steps and one pass in between', () => {
    const results = run(new LookSam(new Sgd(), { rho: 0.05, interval: 3 }), 7);
    expect(results.map((r) => r.sharpnessStep)).toEqual([true, false, false, true, false, false, true]);
    expect(results.map((r) => r.sampleGradientPasses)).toEqual([48, 24, 24, 48, 24, 24, 48]);
  });

  it('ESAM backpropagates its second pass on the γ-fraction with the largest loss increase', () => {
    const [result] = run(new Esam(new Sgd(), { rho: 0.5, selectionRatio: 0.25, seed: 3 }), 1);
    expect(result.sampleGradientPasses).toBe(24 + 6);
    expect(result.sampleForwardPasses).toBe(24);
    expect(Array.from(largestIncrease(Float32Array.from([1, 1, 1, 1]), Float32Array.from([1, 3, 0, 2]), 2))).toEqual([1, 3]);
  });

  it('peers leak no tensors across steps', () => {
    for (const optimizer of [
      new LookSam(new Sgd({ momentum: 0.9 }), { rho: 0.05, interval: 2 }),
      new Esam(new Sgd({ momentum: 0.9 }), { rho: 0.05, seed: 1 }),
      new SometimesSam(new Sgd(), { rho: 0.05 }, new AeSamPolicy()),
    ]) {
      const task = new TwoMoonsTask(2);
      run(optimizer, 3, task);
      const before = tf.memory().numTensors;
      run(optimizer, 6, task);
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
    }
  });
});
