import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer } from '../base/base-optimizer';
import { FIRST_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { Batch } from '../../task/contracts';
import { samUpdate } from './sam-update';
import { Perturbation, type PerturbationOptions } from './perturbation';
import type { BaseOnlyState, SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';

/** What a {@link Sam} checkpoint holds: its base optimizer's state. */
export type SamState = BaseOnlyState;

/**
 * Sharpness-Aware Minimization (Foret et al. 2021, Algorithm 1), or ASAM with `adaptive`
 * (Kwon et al. 2021): g = ∇L(w); w' = w + ε(g); g̃ = ∇L(w'); restore w; base step with g̃.
 * BatchNorm statistics move on the first pass only.
 */
export class Sam implements SharpnessOptimizer<SamState> {
  readonly name: string;
  private readonly perturbation: Perturbation;

  constructor(
    readonly base: BaseOptimizer,
    options: PerturbationOptions,
  ) {
    this.perturbation = new Perturbation(options);
    this.name = options.adaptive ? 'asam' : 'sam';
  }

  step<B extends Batch>(input: StepInput<B>): StepResult {
    const { task, batch, sampleWeights, passes = localPasses } = input;
    const first = passes.lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    return samUpdate(input, first, this.perturbation, this.base);
  }

  state(): SamState {
    return { base: this.base.state() };
  }

  load(state: SamState, variables: readonly tf.Variable[]): void {
    this.base.load(state.base, variables);
  }

  dispose(): void {
    this.perturbation.dispose();
    this.base.dispose();
  }
}
