import { createModel } from '../models';
import type { LabelSmoothing } from './label-smoothing';
import { ClassificationTask } from './classification-task';

/** What a data-parallel replica needs to rebuild a classification task: no dataset, batches come from the main thread. */
export interface ClassificationReplicaOptions {
  readonly model: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly labelSmoothing?: number | LabelSmoothing;
}

/**
 * The classification task a replica thread builds (the `exportName` of `ausam-classify train
 * --replicas n`'s recipe, see `startReplicas` in `@ausam/core`). Its initial weights do not
 * matter: each pass sends the main thread's.
 */
export function createClassificationReplicaTask(options: ClassificationReplicaOptions): ClassificationTask {
  const model = createModel(options.model, { numClasses: options.numClasses, inputChannels: options.inputChannels, seed: 0 });
  return new ClassificationTask(model, { labelSmoothing: options.labelSmoothing });
}
