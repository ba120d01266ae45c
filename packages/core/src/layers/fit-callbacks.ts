import * as tfl from '@tensorflow/tfjs-layers';
import type { Batch, Dataset, SharpnessOptimizer, StepInput, StepResult } from '@ausam/core';

/** What `model.fit` accepts as `callbacks`: `{ onEpochEnd, … }` objects or callback instances (`tf.callbacks.earlyStopping()`). */
export type FitCallbacks = tfl.CustomCallbackArgs | tfl.CustomCallbackArgs[] | tfl.Callback[];

/** A tfjs-layers callback (`BaseCallback`, which tfjs-layers does not export by name). */
type LayersCallback = tfl.Callback | tfl.History | tfl.CustomCallback;

/** The user's callbacks as tfjs-layers' own objects, plain `{ onEpochEnd, … }` objects wrapped as `fit` does. */
export function layersCallbacks(callbacks: FitCallbacks | undefined): LayersCallback[] {
  if (!callbacks) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list.map((c) => (typeof (c as tfl.Callback).setParams === 'function' ? (c as tfl.Callback) : new tfl.CustomCallback(c as tfl.CustomCallbackArgs)));
}

/** Reads the last step's mean loss (what `fit` logs per batch as `loss`). */
export class StepLossRecorder implements SharpnessOptimizer {
  lastLoss = Number.NaN;

  constructor(readonly inner: SharpnessOptimizer) {}

  get name(): string {
    return this.inner.name;
  }

  step<B extends Batch>(input: StepInput<B>): StepResult {
    const result = this.inner.step(input);
    let sum = 0;
    for (const loss of result.lossBefore) sum += loss;
    this.lastLoss = sum / Math.max(1, result.lossBefore.length);
    return result;
  }

  state(): unknown {
    return this.inner.state();
  }

  load(state: unknown, variables: Parameters<SharpnessOptimizer['load']>[1]): void {
    this.inner.load(state, variables);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * The training set with `fit`'s epoch and batch callbacks around its batches: `onEpochBegin` before
 * an epoch's first batch, `onBatchBegin` before each batch is handed to the trainer, and
 * `onBatchEnd` (with the step's `loss`) once the trainer asks for the next one, i.e. after the step.
 * Each callback is awaited, as in `fit`.
 */
export function withBatchCallbacks<B extends Batch>(dataset: Dataset<B>, callbacks: tfl.CallbackList, steps: StepLossRecorder): Dataset<B> {
  let epoch = 0;
  return {
    size: dataset.size,
    async *batches(ids, batchSize, rng) {
      await callbacks.onEpochBegin(epoch);
      let index = 0;
      for await (const batch of dataset.batches(ids, batchSize, rng)) {
        const size = batch.ids.length;
        await callbacks.onBatchBegin(index, { batch: index, size });
        yield batch;
        await callbacks.onBatchEnd(index, { batch: index, size, loss: steps.lastLoss });
        index++;
      }
      epoch++;
    },
  };
}
