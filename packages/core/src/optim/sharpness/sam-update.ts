import type { BaseOptimizer } from '../base/base-optimizer';
import type { Batch, Task } from '../../task/contracts';
import { disposeAll, lossAndGradients, PERTURBED_PASS, type LossAndGradients } from './loss-and-gradients';
import type { Perturbation } from './perturbation';
import type { StepResult } from './sharpness-optimizer';

/**
 * The SAM half of a step, given the first pass at w: perturb along its gradients, second pass at
 * w + ε (BatchNorm statistics frozen), restore w, base step with g̃. Disposes all gradients.
 */
export function samUpdate<B extends Batch>(
  task: Task<B>,
  batch: B,
  first: LossAndGradients,
  perturbation: Perturbation,
  base: BaseOptimizer,
  learningRate: number,
  sampleWeights?: Float32Array,
): StepResult {
  const variables = task.model.trainableVariables;
  perturbation.perturb(variables, first.gradients);
  disposeAll(first.gradients);
  let second: LossAndGradients;
  try {
    second = lossAndGradients(task, batch, PERTURBED_PASS, sampleWeights);
  } finally {
    perturbation.restore();
  }
  base.apply(variables, second.gradients, learningRate);
  disposeAll(second.gradients);
  const b = batch.ids.length;
  return {
    ids: batch.ids,
    lossBefore: first.perSampleLoss,
    lossAfter: second.perSampleLoss,
    sampleGradientPasses: 2 * b,
    sampleForwardPasses: 0,
    sharpnessStep: true,
  };
}
