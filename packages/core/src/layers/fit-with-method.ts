import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildMethod, constantSchedule, train, type BaseOptimizerSpec, type MethodName, type MethodSpec, type LearningRateSchedule, type EpochRecord } from '@ausam/core';
import { InOrderSampler } from './in-order-sampler';
import { layersCallbacks, StepLossRecorder, withBatchCallbacks, type FitCallbacks } from './fit-callbacks';
import { LayersModelTask } from './layers-model-task';
import type { PerSampleLossFunction } from './per-sample-loss';
import { TensorDataset } from './tensor-dataset';
import { TfOptimizerBase } from './tf-optimizer-base';

/** `model.fit`'s arguments (same names) plus the training method and its options. */
export interface FitWithMethodArgs extends Omit<MethodSpec, 'method' | 'base'> {
  /** Any of core's `METHOD_NAMES`: sgd, sam, asam, ausam, uniform, infobatch, esam, looksam, ae-sam, ss-sam (default 'sam'). */
  method?: MethodName;
  /** Default 1. */
  epochs?: number;
  /** Default 32, as `fit`. */
  batchSize?: number;
  /** Evaluated after every epoch; reported as `val_loss` (and `val_acc` for cross-entropies). */
  validationData?: [tf.Tensor, tf.Tensor];
  /** Reshuffle the training order each epoch (default true, as `fit`); false keeps the sampler's ids in ascending order. */
  shuffle?: boolean;
  callbacks?: FitCallbacks;
  /** 0: silent; 1 (default): core's epoch lines and progress on stderr. */
  verbose?: 0 | 1;
  /** A loss name `compile` accepts or a per-sample loss function; default: the compiled loss, if it is a name. */
  loss?: string | PerSampleLossFunction;
  /**
   * The base optimizer: a `tf.train.*` optimizer (stepping with its own learning rate) or core's
   * base spec (`{ kind: 'sgd', momentum: 0.9 }`). Default: the compiled optimizer when it is a
   * plain `tf.train.*` one, else core's SGD (momentum 0.9, weight decay 5e-4).
   */
  optimizer?: tf.Optimizer | BaseOptimizerSpec;
  /** Learning rate of core's base optimizer, a number or a schedule over (fractional) epochs (default 0.01); refused with a `tf.train.*` base. */
  learningRate?: number | LearningRateSchedule;
  /** Seeds the data order, the samplers' draws and ESAM/SS-SAM's randomness (default 0). */
  seed?: number;
}

/** The `History` that `fitWithMethod` returns: tfjs-layers' own class. */
export type FitHistory = tfl.History;

/** Thrown by the epoch hook when a callback set `model.stopTraining` (as `EarlyStopping` does). */
class StopTraining extends Error {}

/**
 * Trains a `tf.LayersModel` on tensors with any of core's methods (AUSAM and every sampler, SAM,
 * ASAM, …), taking `model.fit`'s arguments and returning a `tf.History` (`loss` per epoch, `val_loss`
 * and `val_acc` with `validationData`). Underneath: a {@link LayersModelTask}, a
 * {@link TensorDataset} and core's `train`.
 */
export async function fitWithMethod(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, args: FitWithMethodArgs = {}): Promise<FitHistory> {
  const { method = 'sam', epochs = 1, batchSize = 32, shuffle = true, verbose = 1, seed = 0 } = args;
  const task = new LayersModelTask(model, { loss: args.loss ?? compiledLoss(model) });
  const trainSet = new TensorDataset(x, y);
  const base = baseOptimizerOf(model, args.optimizer);
  const spec: MethodSpec = { ...methodOptions(args), method, base: base instanceof TfOptimizerBase ? undefined : base };
  const built = buildMethod(spec, trainSet.size, seed, base instanceof TfOptimizerBase ? base : undefined);
  const steps = new StepLossRecorder(built.optimizer);
  const history = new tfl.History();
  const callbacks = new tfl.CallbackList([history, ...layersCallbacks(args.callbacks)]);
  callbacks.setModel(model);
  callbacks.setParams({ epochs, initialEpoch: 0, samples: trainSet.size, steps: Math.ceil(trainSet.size / batchSize), batchSize, verbose, doValidation: !!args.validationData, metrics: [] });
  setStopTraining(model, false);
  await callbacks.onTrainBegin();
  try {
    await train({
      task,
      trainSet: withBatchCallbacks(trainSet, callbacks, steps),
      evalSets: args.validationData ? { val: new TensorDataset(args.validationData[0], args.validationData[1]) } : undefined,
      optimizer: steps,
      sampler: shuffle ? built.sampler : new InOrderSampler(built.sampler),
      learningRate: learningRateOf(args, base),
      epochs,
      batchSize,
      seed,
      progress: verbose === 1,
      log: verbose === 1 ? undefined : () => {},
      onEpochEnd: async (record) => {
        await callbacks.onEpochEnd(record.epoch, epochLogs(record));
        if (stopRequested(model)) throw new StopTraining();
      },
    });
  } catch (error) {
    if (!(error instanceof StopTraining)) throw error;
  } finally {
    steps.dispose();
  }
  await callbacks.onTrainEnd();
  await history.syncData();
  return history;
}

/** `fit`'s epoch logs: `loss`, and `val_loss` / `val_acc` from the validation split. */
function epochLogs(record: EpochRecord): Record<string, number> {
  const logs: Record<string, number> = { loss: record.trainLoss };
  for (const [key, value] of Object.entries(record.eval?.val ?? {})) logs[key === 'accuracy' ? 'val_acc' : `val_${key}`] = value;
  return logs;
}

/** `model.stopTraining`, read as false where tfjs-layers refuses it (a `tf.sequential` not built yet). */
function stopRequested(model: tfl.LayersModel): boolean {
  try {
    return model.stopTraining === true;
  } catch {
    return false;
  }
}

function setStopTraining(model: tfl.LayersModel, value: boolean): void {
  try {
    model.stopTraining = value;
  } catch {
    // a tf.sequential not built yet has no flag to reset; its first forward pass creates it unset
  }
}

function methodOptions(args: FitWithMethodArgs): Omit<MethodSpec, 'method'> {
  const { rho, ratio, warmupEpochs, ausam, infobatch, looksam, aeSam, esam } = args;
  return { rho, ratio, warmupEpochs, ausam, infobatch, looksam, aeSam, esam };
}

function compiledLoss(model: tfl.LayersModel): string {
  const loss = (model as unknown as { loss?: unknown }).loss;
  if (typeof loss === 'string') return loss;
  throw new RangeError(`fitWithMethod: args.loss: expected a loss name or function (the model's compiled loss is ${loss === undefined ? 'unset' : 'not a name'})`);
}

function baseOptimizerOf(model: tfl.LayersModel, given: FitWithMethodArgs['optimizer']): TfOptimizerBase | BaseOptimizerSpec {
  // tf.Optimizer's `instanceof` reads `.minimize` of its operand: undefined must not reach it.
  if (given != null && given instanceof tf.Optimizer) return new TfOptimizerBase(given);
  if (given) return given;
  const compiled = (model as unknown as { optimizer_?: tf.Optimizer }).optimizer_;
  if (compiled != null && compiled instanceof tf.Optimizer && compiled.getClassName() !== 'AusamSamOptimizer') return new TfOptimizerBase(compiled);
  return { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };
}

function learningRateOf(args: FitWithMethodArgs, base: TfOptimizerBase | BaseOptimizerSpec): LearningRateSchedule {
  if (base instanceof TfOptimizerBase) {
    if (args.learningRate !== undefined) {
      throw new RangeError(`fitWithMethod: args.learningRate is for core's base optimizer; the ${base.optimizer.getClassName()} given steps with its own learning rate`);
    }
    const own = (base.optimizer as unknown as { learningRate?: number }).learningRate;
    return constantSchedule(typeof own === 'number' ? own : Number.NaN);
  }
  const rate = args.learningRate ?? 0.01;
  return typeof rate === 'number' ? constantSchedule(rate) : rate;
}
