import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import type { Batch } from '../../task/contracts';
import { FIRST_PASS, lossAndGradients } from './loss-and-gradients';
import { samUpdate } from './sam-update';
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
    const first = lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    return samUpdate(task, batch, first, this.perturbation, this.base, learningRate, sampleWeights);
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
