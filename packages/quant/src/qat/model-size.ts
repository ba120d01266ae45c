import type { QuantizedClassifier } from './quantized-classifier';

/** Bits of a full-precision (float32) value. */
export const FULL_PRECISION_BITS = 32;

/** One layer's (or group's) share of the model size. */
export interface ModelSizeEntry {
  readonly name: string;
  readonly parameters: number;
  readonly bitsPerParameter: number;
}

/** Effective storage of a QAT model once its weights are stored as integers. */
export interface ModelSizeReport {
  /** Trained parameters of the base model. */
  readonly parameters: number;
  /** Weights of quantized layers, stored at `weightBits`. */
  readonly quantizedParameters: number;
  /** Everything else (first conv, last dense, biases, BatchNorm γ/β), at 32 bits. */
  readonly fullPrecisionParameters: number;
  /** Quantizer parameters needed at inference (LSQ steps), at 32 bits. */
  readonly quantizerParameters: number;
  /** b_w·quantizedParameters + 32·(fullPrecisionParameters + quantizerParameters). */
  readonly bits: number;
  /** 32·parameters: the same model in float32. */
  readonly fullPrecisionBits: number;
  /** fullPrecisionBits / bits. */
  readonly compressionRatio: number;
  /** bits / 8 / 2^20. */
  readonly mebibytes: number;
  /** Per quantized layer, then `full precision` and `quantizer parameters`. */
  readonly entries: readonly ModelSizeEntry[];
}

/**
 * Effective model size as QAT papers report it (e.g. Esser et al. 2020, Table 1's "size"): each
 * weight of a quantized layer costs b_w bits; every other trained parameter, including the layers
 * kept in full precision, costs 32. BatchNorm running statistics are not counted (they fold into
 * the preceding layer at deployment); activation bits do not change storage.
 */
export function effectiveModelSize(model: QuantizedClassifier): ModelSizeReport {
  const weightBits = model.config.weightBits;
  const parameters = model.base.trainableVariables.reduce((sum, v) => sum + v.size, 0);
  const entries: ModelSizeEntry[] = model.quantizedLayers.map((l) => ({
    name: l.name,
    parameters: l.weight.size,
    bitsPerParameter: weightBits,
  }));
  const quantizedParameters = entries.reduce((sum, e) => sum + e.parameters, 0);
  const fullPrecisionParameters = parameters - quantizedParameters;
  const quantizerParameters = model.quantizerVariables.reduce((sum, v) => sum + v.size, 0);
  entries.push({ name: 'full precision', parameters: fullPrecisionParameters, bitsPerParameter: FULL_PRECISION_BITS });
  entries.push({ name: 'quantizer parameters', parameters: quantizerParameters, bitsPerParameter: FULL_PRECISION_BITS });
  const bits = weightBits * quantizedParameters + FULL_PRECISION_BITS * (fullPrecisionParameters + quantizerParameters);
  const fullPrecisionBits = FULL_PRECISION_BITS * parameters;
  return {
    parameters,
    quantizedParameters,
    fullPrecisionParameters,
    quantizerParameters,
    bits,
    fullPrecisionBits,
    compressionRatio: fullPrecisionBits / bits,
    mebibytes: bits / 8 / 2 ** 20,
    entries,
  };
}
