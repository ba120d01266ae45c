import type { LossAndGradients } from '../optim/sharpness/loss-and-gradients';
import type { Batch, ForwardMode, Task } from '../task/contracts';

/** Passes run across replicas for one task (the main thread's slice included). */
export interface ReplicaPasses {
  lossAndGradients(task: Task<Batch>, batch: Batch, mode: ForwardMode, sampleWeights?: Float32Array): LossAndGradients;
  perSampleLoss(task: Task<Batch>, batch: Batch, mode: ForwardMode): Float32Array;
}

const attached = new WeakMap<object, ReplicaPasses>();

/** Routes `task`'s passes through `passes` until {@link detachReplicaPasses}. */
export function attachReplicaPasses(task: object, passes: ReplicaPasses): void {
  if (attached.has(task)) throw new Error('this task already has data-parallel replicas: close them first');
  attached.set(task, passes);
}

export function detachReplicaPasses(task: object, passes: ReplicaPasses): void {
  if (attached.get(task) === passes) attached.delete(task);
}

/** The replicas `task`'s passes go through, if any. */
export function replicaPassesOf(task: object): ReplicaPasses | undefined {
  return attached.get(task);
}
