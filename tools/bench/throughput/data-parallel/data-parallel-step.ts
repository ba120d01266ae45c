/**
 * One data-parallel training step on a replica's slice of the batch: the local gradient of the
 * local mean loss, scaled by the replica's share b_r/b, is summed over replicas, so every replica
 * holds ∇ of the mean loss over the whole batch. BatchNorm uses local batch statistics and moves
 * its running statistics on the local slice only (per-replica BN).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FIRST_PASS, localPasses, PERTURBED_PASS, type BaseOptimizer, type Batch, type Perturbation, type Task } from '@ausam/core';

/** Sums `share`-scaled local gradients over replicas (a {@link SharedAllReduce} `reduce`). */
export type GradientReduce = (gradients: readonly tf.Tensor[], share: number) => tf.Tensor[];

/** What a replica's step needs: its task, slice of the batch, share of the batch and the reduce. */
export interface ReplicaStepInput<B extends Batch> {
  readonly task: Task<B>;
  readonly batch: B;
  /** b_r / b. */
  readonly share: number;
  readonly reduce: GradientReduce;
  readonly base: BaseOptimizer;
  readonly learningRate: number;
}

/** SGD: g = Σ_r share_r·∇L_r(w); base step with g. Returns the local per-sample losses. */
export function dataParallelSgdStep<B extends Batch>(input: ReplicaStepInput<B>): Float32Array {
  const { task, batch, share, reduce, base, learningRate } = input;
  const local = localPasses.lossAndGradients(task, batch, FIRST_PASS);
  const global = reduce(local.gradients, share);
  tf.dispose(local.gradients);
  base.apply(task.model.trainableVariables, global, learningRate);
  tf.dispose(global);
  return local.perSampleLoss;
}

/**
 * SAM (Foret et al. 2021): g = all-reduce of ∇L_r(w); every replica moves to w + ρ·g/‖g‖ (same g,
 * so same ε); g̃ = all-reduce of ∇L_r(w + ε) (BN statistics frozen); restore w; base step with g̃.
 * Returns the local per-sample losses at w.
 */
export function dataParallelSamStep<B extends Batch>(input: ReplicaStepInput<B> & { perturbation: Perturbation }): Float32Array {
  const { task, batch, share, reduce, base, learningRate, perturbation } = input;
  const variables = task.model.trainableVariables;
  const first = localPasses.lossAndGradients(task, batch, FIRST_PASS);
  const g = reduce(first.gradients, share);
  tf.dispose(first.gradients);
  perturbation.perturb(variables, g);
  tf.dispose(g);
  let second: tf.Tensor[];
  try {
    const perturbed = localPasses.lossAndGradients(task, batch, PERTURBED_PASS);
    second = reduce(perturbed.gradients, share);
    tf.dispose(perturbed.gradients);
  } finally {
    perturbation.restore();
  }
  base.apply(variables, second, learningRate);
  tf.dispose(second);
  return first.perSampleLoss;
}
