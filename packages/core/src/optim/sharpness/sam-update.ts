import type { BaseOptimizer } from '../base/base-optimizer';
import { PERTURBED_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { LossAndGradients } from '../../passes/passes';
import type { Batch } from '../../task/contracts';
import type { Perturbation } from './perturbation';
import type { StepInput, StepResult } from './sharpness-optimizer';
import { disposeAll } from './tensor-lists';

/**
 * The SAM half of a step, given the first pass at w: perturb along its gradients, second pass at
 * w + ε (BatchNorm statistics frozen) through `input.passes`, restore w, base step with g̃.
 * Disposes all gradients.
 */
export function samUpdate<B extends Batch>(
  { task, batch, learningRate, sampleWeights, passes = localPasses }: StepInput<B>,
  first: LossAndGradients,
  perturbation: Perturbation,
  base: BaseOptimizer,
): StepResult {
  const variables = task.model.trainableVariables;
  perturbation.perturb(variables, first.gradients);
  disposeAll(first.gradients);
  let second: LossAndGradients;
  try {
    second = passes.lossAndGradients(task, batch, PERTURBED_PASS, sampleWeights);
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
