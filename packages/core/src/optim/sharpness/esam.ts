import * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import type { Batch } from '../../task/contracts';
import { Rng } from '../../random/rng';
import { FIRST_PASS, PERTURBED_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';
import { disposeAll, globalNorm } from './tensor-lists';

export interface EsamOptions {
  rho: number;
  /** Stochastic weight perturbation: each weight is perturbed with probability β, scaled by 1/β (paper 0.6). */
  weightPerturbationProbability?: number;
  /** Sharpness-sensitive data selection: fraction γ of the batch kept for the second pass (paper 0.5). */
  selectionRatio?: number;
  seed: number;
}

/**
 * ESAM (Du et al. 2022, "Efficient Sharpness-aware Minimization for Improved Training of Neural
 * Networks"): SWP perturbs a random β-fraction of the weights (ε scaled by 1/β); SDS does a forward
 * pass at w + ε over the batch, keeps the γ-fraction whose loss rose most, ℓᵢ(w+ε) − ℓᵢ(w), and runs
 * the second backward pass on those only.
 */
/** What an {@link Esam} checkpoint holds. */
export interface EsamState {
  readonly base: OptimizerState;
  /** The weight-perturbation mask's random stream (`Rng.state()`). */
  readonly rng: number[];
}

export class Esam implements SharpnessOptimizer<EsamState> {
  readonly name = 'esam';
  private readonly rng: Rng;
  private readonly beta: number;
  private readonly gamma: number;

  constructor(
    readonly base: BaseOptimizer,
    readonly options: EsamOptions,
  ) {
    this.rng = new Rng(options.seed);
    this.beta = options.weightPerturbationProbability ?? 0.6;
    this.gamma = options.selectionRatio ?? 0.5;
    if (!(this.beta > 0 && this.beta <= 1)) throw new RangeError(`ESAM: β must be in (0, 1], found ${this.beta}`);
    if (!(this.gamma > 0 && this.gamma <= 1)) throw new RangeError(`ESAM: γ must be in (0, 1], found ${this.gamma}`);
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights, passes = localPasses }: StepInput<B>): StepResult {
    const variables = task.model.trainableVariables;
    const b = batch.ids.length;
    const first = passes.lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    const saved = variables.map((v) => tf.keep(tf.clone(v)));
    const factor = this.options.rho / (globalNorm(first.gradients) + 1e-12);
    tf.tidy(() => {
      variables.forEach((v, i) => {
        let epsilon = tf.mul(first.gradients[i], factor);
        if (this.beta < 1) {
          const mask = tf.cast(tf.less(tf.randomUniform(v.shape, 0, 1, 'float32', this.rng.tfSeed()), this.beta), 'float32');
          epsilon = tf.div(tf.mul(epsilon, mask), this.beta);
        }
        v.assign(tf.add(v, epsilon));
      });
    });
    disposeAll(first.gradients);
    let second;
    let lossAfterAll: Float32Array;
    let positions: Int32Array;
    try {
      lossAfterAll = passes.perSampleLoss(task, batch, PERTURBED_PASS);
      positions = largestIncrease(first.perSampleLoss, lossAfterAll, Math.max(1, Math.round(this.gamma * b)));
      const subset = task.selectSamples(batch, positions);
      const subsetWeights = sampleWeights ? Float32Array.from(positions, (p) => sampleWeights[p]) : undefined;
      try {
        second = passes.lossAndGradients(task, subset, PERTURBED_PASS, subsetWeights);
      } finally {
        task.disposeBatch(subset);
      }
    } finally {
      variables.forEach((v, i) => v.assign(saved[i]));
      disposeAll(saved);
    }
    this.base.apply(variables, second.gradients, learningRate);
    disposeAll(second.gradients);
    return {
      ids: batch.ids,
      lossBefore: first.perSampleLoss,
      lossAfter: lossAfterAll,
      sampleGradientPasses: b + positions.length,
      sampleForwardPasses: b,
      sharpnessStep: true,
    };
  }

  state(): EsamState {
    return { base: this.base.state(), rng: this.rng.state() };
  }

  load(state: EsamState, variables: readonly tf.Variable[]): void {
    this.base.load(state.base, variables);
    this.rng.load(state.rng);
  }

  dispose(): void {
    this.base.dispose();
  }
}

/** Positions of the `count` largest ℓ(w+ε) − ℓ(w), ascending. */
export function largestIncrease(before: Float32Array, after: Float32Array, count: number): Int32Array {
  const order = Array.from(before, (_, i) => i).sort((i, j) => after[j] - before[j] - (after[i] - before[i]));
  return Int32Array.from(order.slice(0, count)).sort();
}
