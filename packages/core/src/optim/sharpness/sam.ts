import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import type { Batch } from '../../task/contracts';
import { disposeAll, FIRST_PASS, lossAndGradients, PERTURBED_PASS } from './loss-and-gradients';
import { Perturbation, type PerturbationOptions } from './perturbation';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';

/**
 * Sharpness-Aware Minimization (Foret et al. 2021, Algorithm 1), or ASAM with `adaptive`
 * (Kwon et al. 2021): g = ∇L(w); w' = w + ε(g); g̃ = ∇L(w'); restore w; base step with g̃.
 * BatchNorm statistics move on the first pass only.
 */
export class Sam implements SharpnessOptimizer {
  readonly name: string;
  private readonly perturbation: Perturbation;

  constructor(
    readonly base: BaseOptimizer,
    options: PerturbationOptions,
  ) {
    this.perturbation = new Perturbation(options);
    this.name = options.adaptive ? 'asam' : 'sam';
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights }: StepInput<B>): StepResult {
    const variables = task.model.trainableVariables;
    const first = lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    this.perturbation.perturb(variables, first.gradients);
    disposeAll(first.gradients);
    let second;
    try {
      second = lossAndGradients(task, batch, PERTURBED_PASS, sampleWeights);
    } finally {
      this.perturbation.restore();
    }
    this.base.apply(variables, second.gradients, learningRate);
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

  state(): unknown {
    return { base: this.base.state() };
  }

  load(state: unknown, variables: readonly tf.Variable[]): void {
    this.base.load((state as { base: OptimizerState }).base, variables);
  }

  dispose(): void {
    this.perturbation.dispose();
    this.base.dispose();
  }
}
