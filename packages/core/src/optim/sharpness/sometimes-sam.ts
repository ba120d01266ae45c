import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import { FIRST_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { Batch } from '../../task/contracts';
import { samUpdate } from './sam-update';
import { Perturbation, type PerturbationOptions } from './perturbation';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';
import { disposeAll, globalNorm, notMeasured } from './tensor-lists';

/** Decides, after the first pass, whether this step pays for SAM's second pass. */
export interface SamStepPolicy<S = unknown> {
  readonly name: string;
  shouldPerturb(gradientNormSquared: number): boolean;
  state(): S;
  load(state: S): void;
}

/** What a {@link SometimesSam} checkpoint holds. */
export interface SometimesSamState {
  readonly base: OptimizerState;
  /** The policy's own state (`SamStepPolicy.state()`). */
  readonly policy: unknown;
}

/**
 * "SAM on some steps only": the first pass always runs; when the policy says so the step is a SAM
 * step (perturb, second pass, restore, base step with g̃), otherwise a base step with g.
 */
export class SometimesSam implements SharpnessOptimizer<SometimesSamState> {
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

  step<B extends Batch>(input: StepInput<B>): StepResult {
    const { task, batch, learningRate, sampleWeights, passes = localPasses } = input;
    const variables = task.model.trainableVariables;
    const first = passes.lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
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
    return samUpdate(input, first, this.perturbation, this.base);
  }

  state(): SometimesSamState {
    return { base: this.base.state(), policy: this.policy.state() };
  }

  load(state: SometimesSamState, variables: readonly tf.Variable[]): void {
    this.base.load(state.base, variables);
    this.policy.load(state.policy);
  }

  dispose(): void {
    this.perturbation.dispose();
    this.base.dispose();
  }
}
