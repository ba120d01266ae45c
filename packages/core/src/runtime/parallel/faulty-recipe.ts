import * as tf from '@tensorflow/tfjs-core';
import { LinearRegressionTask, type RegressionBatch } from '../../example/linear-regression-task';
import { TwoMoonsTask } from '../../example/two-moons-task';
import type { ForwardMode } from '../../task/contracts';

/** Test recipes: tasks whose replica copy fails in every pass, and a factory that throws. */
export function createFailingTask(options: { initial: number[] }): LinearRegressionTask {
  const task = new LinearRegressionTask(options.initial);
  task.perSampleLoss = (_batch: RegressionBatch, _mode: ForwardMode): tf.Tensor1D => {
    throw new Error('injected failure in the replica');
  };
  return task;
}

export function throwingFactory(): never {
  throw new Error('the factory refused');
}

export function createRegressionTask(options: { initial: number[] }): LinearRegressionTask {
  return new LinearRegressionTask(options.initial);
}

/** A task whose replica copy ends its thread in the middle of a pass. */
export function createExitingTask(options: { initial: number[] }): LinearRegressionTask {
  const task = new LinearRegressionTask(options.initial);
  task.perSampleLoss = (): tf.Tensor1D => process.exit(7);
  return task;
}

/** A two-moons task (with BatchNorm) whose replica copy fails before its first all-reduce. */
export function createFailingTwoMoonsTask(options: { seed: number; hidden?: number }): TwoMoonsTask {
  const task = new TwoMoonsTask(options.seed, options.hidden);
  task.perSampleLoss = (): tf.Tensor1D => {
    throw new Error('injected failure before BatchNorm');
  };
  return task;
}
