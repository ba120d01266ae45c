import { createModel } from '../models';
import type { ModelInit } from '../models/classifier-model';
import type { LabelSmoothing } from './label-smoothing';
import { ClassificationTask } from './classification-task';

/** What a data-parallel replica needs to rebuild a classification task: no dataset, batches come from the main thread. */
export interface ClassificationReplicaOptions {
  readonly model: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly labelSmoothing?: number | LabelSmoothing;
  /** Initial-weight scheme (`model.init` of the run config; default PyTorch's). */
  readonly init?: ModelInit;
  /** Seed of the initial weights (default 0; a replica's initial weights do not matter). */
  readonly seed?: number;
}

/**
 * The classification task of `ausam-classify train`, without data: the main thread builds its task
 * with it, and data-parallel replica threads build their copies with it (the `exportName` of the
 * replica recipe, see `runExperiment` in `@ausam/core`; a replica's initial weights do not matter,
 * each pass sends the main thread's).
 */
export function createClassificationReplicaTask(options: ClassificationReplicaOptions): ClassificationTask {
  const model = createModel(options.model, { numClasses: options.numClasses, inputChannels: options.inputChannels, seed: options.seed ?? 0, init: options.init });
  return new ClassificationTask(model, { labelSmoothing: options.labelSmoothing });
}
