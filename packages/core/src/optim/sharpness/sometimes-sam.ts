import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import type { Batch } from '../../task/contracts';
import { disposeAll, FIRST_PASS, globalNorm, lossAndGradients, notMeasured } from './loss-and-gradients';
import { samUpdate } from './sam-update';
import { Perturbation, type PerturbationOptions } from './perturbation';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';

/** Decides, after the first pass, whether this step pays for SAM's second pass. */
export interface SamStepPolicy {
  readonly name: string;
  shouldPerturb(gradientNormSquared: number): boolean;
  state(): unknown;
  load(state: unknown): void;
}

/**
 * "SAM on some steps only": the first pass always runs; when the policy says so the step is a SAM
 * step (perturb, second pass, restore, base step with g̃), otherwise a base step with g.
 */
export class SometimesSam implements SharpnessOptimizer {
  readonly name: string;
  private readonly perturbation: Perturbation;

  constructor(
    readonly base: BaseOptimizer,
    options: PerturbationOptions,
    readonly policy: SamStepPolicy,
  ) {
    this.perturbation = new Perturbation(options);
    this.name = policy.name;
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights }: StepInput<B>): StepResult {
    const variables = task.model.trainableVariables;
    const first = lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    const b = batch.ids.length;
    const norm = globalNorm(first.gradients);
    if (!this.policy.shouldPerturb(norm * norm)) {
      this.base.apply(variables, first.gradients, learningRate);
      disposeAll(first.gradients);
      return {
        ids: batch.ids,
        lossBefore: first.perSampleLoss,
        lossAfter: notMeasured(b),
        sampleGradientPasses: b,
        sampleForwardPasses: 0,
        sharpnessStep: false,
      };
    }
    return samUpdate(task, batch, first, this.perturbation, this.base, learningRate, sampleWeights);
  }

  state(): unknown {
    return { base: this.base.state(), policy: this.policy.state() };
  }

  load(state: unknown, variables: readonly tf.Variable[]): void {
    const s = state as { base: OptimizerState; policy: unknown };
    this.base.load(s.base, variables);
    this.policy.load(s.policy);
  }

  dispose(): void {
    this.perturbation.dispose();
    this.base.dispose();
  }
}
