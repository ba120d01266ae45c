import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer } from '../base/base-optimizer';
import { FIRST_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { Batch } from '../../task/contracts';
import type { BaseOnlyState, SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';
import { disposeAll, notMeasured } from './tensor-lists';

/** What a {@link PlainStep} checkpoint holds: its base optimizer's state. */
export type PlainStepState = BaseOnlyState;

/** The base optimizer alone (one forward+backward pass): the SGD row of every comparison. */
export class PlainStep implements SharpnessOptimizer<PlainStepState> {
  readonly name: string;

  constructor(readonly base: BaseOptimizer) {
    this.name = base.kind;
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights, passes = localPasses }: StepInput<B>): StepResult {
    const { perSampleLoss, gradients } = passes.lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    this.base.apply(task.model.trainableVariables, gradients, learningRate);
    disposeAll(gradients);
    const b = batch.ids.length;
    return {
      ids: batch.ids,
      lossBefore: perSampleLoss,
      lossAfter: notMeasured(b),
      sampleGradientPasses: b,
      sampleForwardPasses: 0,
      sharpnessStep: false,
    };
  }

  state(): PlainStepState {
    return { base: this.base.state() };
  }

  load(state: PlainStepState, variables: readonly tf.Variable[]): void {
    this.base.load(state.base, variables);
  }

  dispose(): void {
    this.base.dispose();
  }
}
