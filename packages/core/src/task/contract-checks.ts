import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/rng';
import type { Batch, Dataset } from './contracts';
import { TaskContractError } from './task-contract-error';

/** `[1, 2, 3, …]`, at most `max` entries. */
export function listIds(ids: ArrayLike<number>, max = 8): string {
  const shown = Array.from({ length: Math.min(ids.length, max) }, (_, k) => ids[k]);
  return `[${shown.join(', ')}${ids.length > max ? `, … (${ids.length} ids)` : ''}]`;
}

/** The loss a task returned is one value per batch id; else the error to throw (after cleanup). */
export function perSampleLossProblem(loss: tf.Tensor, batchSize: number, taskName: string): TaskContractError | undefined {
  if (loss.rank === 1 && loss.shape[0] === batchSize) return undefined;
  return new TaskContractError(
    `${taskName}: Task.perSampleLoss`,
    `a loss of shape [${batchSize}] (one per batch id)`,
    `shape [${loss.shape.join(', ')}]`,
    'return the per-sample losses, not their mean',
  );
}

/**
 * What is wrong with `batch` if it does not hold exactly the samples `expected` (in that order), with
 * one row per id along axis 0 of every tensor it holds at its top level.
 */
export function batchProblem(batch: Batch, expected: ArrayLike<number>): { expected: string; found: string } | undefined {
  const ids = batch?.ids;
  if (!ids || typeof ids.length !== 'number') return { expected: `a batch with ids ${listIds(expected)}`, found: 'a batch without ids' };
  if (ids.length !== expected.length) {
    return { expected: `a batch of ${expected.length} ids ${listIds(expected)}`, found: `${ids.length} ids ${listIds(ids)}` };
  }
  for (let k = 0; k < ids.length; k++) {
    if (ids[k] !== expected[k]) {
      return { expected: `ids ${listIds(expected)}`, found: `ids ${listIds(ids)} (first difference at position ${k}: ${ids[k]} instead of ${expected[k]})` };
    }
  }
  for (const [field, value] of Object.entries(batch)) {
    if (value instanceof tf.Tensor && (value.rank === 0 || value.shape[0] !== ids.length)) {
      return { expected: `'${field}' with ${ids.length} rows along axis 0 (one per id)`, found: `shape [${value.shape.join(', ')}]` };
    }
  }
  return undefined;
}

/** Throws a {@link TaskContractError} unless every id of a plan is an integer in 0..size-1. */
export function checkIdRange(ids: Int32Array, size: number, method: string): void {
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!(Number.isInteger(id) && id >= 0 && id < size)) {
      throw new TaskContractError(method, `sample ids in 0..${size - 1} (the dataset's size is ${size})`, `id ${id} at position ${k}`);
    }
  }
}

/**
 * `dataset` whose `batches` checks what it yields: batch k holds exactly the ids
 * `ids[k·batchSize … (k+1)·batchSize)` (the last batch may be smaller, none may be dropped), and each
 * tensor has one row per id. A batch that breaks this is released with `disposeBatch`, then a
 * {@link TaskContractError} naming `where` is thrown. Every other property is the dataset's own.
 */
export function checkedDataset<B extends Batch>(dataset: Dataset<B>, where: string, disposeBatch: (batch: B) => void): Dataset<B> {
  const batches = (ids: Int32Array, batchSize: number, rng?: Rng) => checkedBatches(dataset, ids, batchSize, rng, where, disposeBatch);
  return new Proxy(dataset, {
    get(target, property) {
      if (property === 'batches') return batches;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function* checkedBatches<B extends Batch>(
  dataset: Dataset<B>,
  ids: Int32Array,
  batchSize: number,
  rng: Rng | undefined,
  where: string,
  disposeBatch: (batch: B) => void,
): AsyncGenerator<B> {
  const method = `${where}: Dataset.batches(ids, ${batchSize})`;
  const expectedBatches = Math.ceil(ids.length / batchSize);
  let start = 0;
  let count = 0;
  for await (const batch of dataset.batches(ids, batchSize, rng)) {
    if (count >= expectedBatches) {
      disposeBatch(batch);
      throw new TaskContractError(method, `${expectedBatches} batches for ${ids.length} ids`, `a batch ${count + 1} with ids ${listIds(batch?.ids ?? [])}`);
    }
    const expected = ids.subarray(start, Math.min(start + batchSize, ids.length));
    const problem = batchProblem(batch, expected);
    if (problem) {
      disposeBatch(batch);
      throw new TaskContractError(`${method}, batch ${count + 1} of ${expectedBatches}`, problem.expected, problem.found);
    }
    start += expected.length;
    count++;
    yield batch;
  }
  if (start !== ids.length) {
    throw new TaskContractError(
      method,
      `${expectedBatches} batches covering all ${ids.length} ids (only the last one may be smaller)`,
      `${count} batches covering ${start} ids`,
    );
  }
}

/** Throws a {@link TaskContractError} unless `metrics` is an object of numbers. */
export function checkMetricTypes(metrics: unknown, method: string): asserts metrics is Record<string, number> {
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
    throw new TaskContractError(method, 'an object of named metrics, e.g. { accuracy: 0.91, loss: 0.27 }', metrics === null ? 'null' : Array.isArray(metrics) ? 'an array' : typeof metrics);
  }
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== 'number') throw new TaskContractError(method, `a number for metric '${name}'`, `${typeof value} ${JSON.stringify(value)}`);
  }
}
