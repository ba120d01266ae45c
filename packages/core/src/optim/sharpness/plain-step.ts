import type * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import type { Batch } from '../../task/contracts';
import { disposeAll, FIRST_PASS, lossAndGradients, notMeasured } from './loss-and-gradients';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';

/** The base optimizer alone (one forward+backward pass): the SGD row of every comparison. */
export class PlainStep implements SharpnessOptimizer {
  readonly name: string;

  constructor(readonly base: BaseOptimizer) {
    this.name = base.kind;
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights }: StepInput<B>): StepResult {
    const { perSampleLoss, gradients } = lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
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

  state(): unknown {
    return { base: this.base.state() };
  }

  load(state: unknown, variables: readonly tf.Variable[]): void {
    this.base.load((state as { base: OptimizerState }).base, variables);
  }

  dispose(): void {
    this.base.dispose();
  }
}
