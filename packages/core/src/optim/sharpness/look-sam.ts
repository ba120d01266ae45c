import * as tf from '@tensorflow/tfjs-core';
import type { BaseOptimizer, OptimizerState } from '../base/base-optimizer';
import { FIRST_PASS, PERTURBED_PASS } from '../../passes/forward-modes';
import { localPasses } from '../../passes/local-passes';
import type { Batch } from '../../task/contracts';
import { Perturbation, type PerturbationOptions } from './perturbation';
import type { SharpnessOptimizer, StepInput, StepResult } from './sharpness-optimizer';
import { disposeAll, globalNorm, notMeasured } from './tensor-lists';

export interface LookSamOptions extends PerturbationOptions {
  /** Full SAM every k steps (paper default 5). */
  interval?: number;
  /** Weight α of the reused direction (paper default 0.7). */
  alpha?: number;
}

/**
 * LookSAM (Liu et al. 2022, "Towards Efficient and Scalable Sharpness-Aware Minimization", Alg. 1):
 * every k steps a SAM step, remembering g_v = g_s − (⟨g, g_s⟩/‖g‖²)·g, the part of the SAM
 * gradient orthogonal to g; between them one pass and the step direction g + α·(‖g‖/‖g_v‖)·g_v.
 */
/** What a {@link LookSam} checkpoint holds. */
export interface LookSamState {
  readonly base: OptimizerState;
  /** Steps taken: a SAM step when `stepIndex % interval === 0`. */
  readonly stepIndex: number;
  /** g_v, one array per trainable variable, or null before the first SAM step. */
  readonly orthogonal: number[][] | null;
}

export class LookSam implements SharpnessOptimizer<LookSamState> {
  readonly name = 'looksam';
  private readonly perturbation: Perturbation;
  private readonly interval: number;
  private readonly alpha: number;
  private stepIndex = 0;
  private orthogonal: tf.Tensor[] | null = null;

  constructor(
    readonly base: BaseOptimizer,
    options: LookSamOptions,
  ) {
    this.perturbation = new Perturbation(options);
    this.interval = options.interval ?? 5;
    this.alpha = options.alpha ?? 0.7;
  }

  step<B extends Batch>({ task, batch, learningRate, sampleWeights, passes = localPasses }: StepInput<B>): StepResult {
    const variables = task.model.trainableVariables;
    const b = batch.ids.length;
    const first = passes.lossAndGradients(task, batch, FIRST_PASS, sampleWeights);
    const sharp = this.stepIndex % this.interval === 0 || this.orthogonal === null;
    this.stepIndex++;
    if (!sharp) {
      const direction = tf.tidy(() => {
        const scale = (this.alpha * globalNorm(first.gradients)) / (globalNorm(this.orthogonal!) + 1e-12);
        return first.gradients.map((g, i) => tf.add(g, tf.mul(this.orthogonal![i], scale)));
      });
      this.base.apply(variables, direction, learningRate);
      disposeAll(direction);
      disposeAll(first.gradients);
      return result(batch.ids, first.perSampleLoss, notMeasured(b), b, false);
    }
    this.perturbation.perturb(variables, first.gradients);
    let second;
    try {
      second = passes.lossAndGradients(task, batch, PERTURBED_PASS, sampleWeights);
    } finally {
      this.perturbation.restore();
    }
    const orthogonal = tf.tidy(() => {
      const g = first.gradients;
      const dot = tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, second!.gradients[i]))));
      const normSquared = tf.addN(g.map((gi) => tf.sum(tf.square(gi))));
      const projection = tf.div(dot, tf.add(normSquared, 1e-12));
      return second!.gradients.map((gs, i) => tf.keep(tf.sub(gs, tf.mul(g[i], projection))));
    });
    if (this.orthogonal) disposeAll(this.orthogonal);
    this.orthogonal = orthogonal;
    this.base.apply(variables, second.gradients, learningRate);
    disposeAll(first.gradients);
    disposeAll(second.gradients);
    return result(batch.ids, first.perSampleLoss, second.perSampleLoss, 2 * b, true);
  }

  state(): LookSamState {
    return {
      base: this.base.state(),
      stepIndex: this.stepIndex,
      orthogonal: this.orthogonal?.map((t) => Array.from(t.dataSync())) ?? null,
    };
  }

  load(state: LookSamState, variables: readonly tf.Variable[]): void {
    const s = state;
    this.base.load(s.base, variables);
    this.stepIndex = s.stepIndex;
    if (this.orthogonal) disposeAll(this.orthogonal);
    this.orthogonal = s.orthogonal ? s.orthogonal.map((values, i) => tf.keep(tf.tensor(values, variables[i].shape))) : null;
  }

  dispose(): void {
    if (this.orthogonal) disposeAll(this.orthogonal);
    this.orthogonal = null;
    this.perturbation.dispose();
    this.base.dispose();
  }
}

function result(ids: Int32Array, before: Float32Array, after: Float32Array, passes: number, sharp: boolean): StepResult {
  return { ids, lossBefore: before, lossAfter: after, sampleGradientPasses: passes, sampleForwardPasses: 0, sharpnessStep: sharp };
}
