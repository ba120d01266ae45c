// Fake quantizers (tfjs ops with straight-through gradients) and their stateful wrappers.
export { lsqFakeQuantize, lsqGradScale, lsqInitialStep, type LsqParameters } from './quantizers/lsq';
export { uniformFakeQuantize, type UniformQuantizeOptions } from './quantizers/uniform';
export { roundStraightThrough, scaleGradient, stopGradient } from './quantizers/straight-through';
export { LsqQuantizer, type LsqQuantizerOptions } from './quantizers/lsq-quantizer';
export { MinMaxQuantizer, type MinMaxQuantizerOptions } from './quantizers/min-max-quantizer';
export type { FakeQuantizer } from './quantizers/fake-quantizer';
export { integerRange, validateBitWidth, type IntegerRange } from './quantizers/integer-range';
export { BitWidthError, MAX_BITS, MIN_BITS } from './quantizers/errors';
export type { Granularity } from './quantizers/granularity';
export { distinctValuesPerChannel } from './quantizers/distinct-values';

// Quantization-aware training of @ausam/classification models.
export {
  QuantizedClassifier,
  quantizeModel,
  type FullPrecisionWeights,
  type QuantizedLayer,
} from './qat/quantized-classifier';
export {
  resolveQuantizationConfig,
  type QuantizationConfig,
  type QuantizerKind,
  type ResolvedQuantizationConfig,
} from './qat/quantization-config';
export { effectiveModelSize, FULL_PRECISION_BITS, type ModelSizeEntry, type ModelSizeReport } from './qat/model-size';
export { verifyWeightLevels, type LayerLevels, type WeightLevelReport } from './qat/weight-levels';
export { interceptLayer, type LayerTransforms } from './qat/layer-interceptor';
export { findQuantizableLayers, type QuantizableLayer } from './qat/quantizable-layer';
export type { LayerQuantizers } from './qat/layer-quantizers';

// Core's Task for quantized classifiers.
export { QuantizedClassificationTask } from './task/quantized-classification-task';

// Config-driven runs (what the `ausam-quant` CLI does).
export { quantRunSchema, readRunConfig, validateRunConfig, type QuantRunConfig } from './cli/run-config';
export { applyOverrides, runQuantizedTraining, type QuantTrainingResult } from './cli/run-training';
export { DATASET_NAMES, loadDatasets, type DatasetSpec } from './cli/datasets';
