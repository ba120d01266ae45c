/**
 * `@ausam/core/layers`: a user's `tf.layers` model (tfjs-layers, an optional peer dependency)
 * trained with SAM / ASAM through `model.compile` ({@link sam}, {@link asam}) and with AUSAM or any
 * of core's methods through {@link fitWithMethod}. Core's main entry never imports tfjs-layers.
 */
export { sam, asam, SamOptimizer, type SamOptimizerOptions } from './sam-optimizer';
export { fitWithMethod, type FitWithMethodArgs, type FitHistory } from './fit-with-method';
export type { FitCallbacks } from './fit-callbacks';
export { LayersModelTask, type LayersModelTaskOptions } from './layers-model-task';
export { TensorDataset, type TensorBatch } from './tensor-dataset';
export { TfOptimizerBase } from './tf-optimizer-base';
export { InOrderSampler } from './in-order-sampler';
export { LOSS_NAMES, lossName, perSampleLoss, type LossName, type PerSampleLossFunction, type OutputKind } from './per-sample-loss';
export { applyForLogits, finalActivation } from './output-logits';
export { SavedValues } from './moving-statistics';
export { namePositionally, trainableVariablesOf, nonTrainableVariablesOf } from './layers-model-variables';
