import type { Granularity } from '../quantizers/granularity';
import { validateBitWidth } from '../quantizers/integer-range';

/** Which fake quantizer QAT uses. */
export type QuantizerKind = 'lsq' | 'minmax';

/** How a model is quantized for QAT. */
export interface QuantizationConfig {
  /** Bits of every quantized layer's weights, 2..8. */
  readonly weightBits: number;
  /** Bits of every quantized layer's input activations, 2..8. */
  readonly activationBits: number;
  /**
   * `'lsq'` (default): learned steps (Esser et al. 2020). `'minmax'`: weights on their current
   * min/max range, activations on an EMA range (Jacob et al. 2018).
   */
  readonly quantizer?: QuantizerKind;
  /** One step/range per output channel (default) or one per weight tensor. */
  readonly weightGranularity?: Granularity;
  /**
   * Signedness of activation grids (LSQ): `'auto'` (default) decides per layer from the first
   * batch (post-ReLU inputs → unsigned; e.g. PyramidNet's BN→conv inputs → signed).
   */
  readonly activationSigned?: boolean | 'auto';
  /**
   * Layers kept in full precision, by name (e.g. `stem/conv`, `head`). Default: the first conv and
   * the last dense layer, as is standard (Esser et al. 2020, §3; Zhou et al. 2016).
   */
  readonly fullPrecisionLayers?: readonly string[];
  /** EMA weight of a new batch's activation range for `'minmax'`; default 0.01. */
  readonly rangeMomentum?: number;
}

/** A {@link QuantizationConfig} with defaults filled in and bit widths validated. */
export type ResolvedQuantizationConfig = Required<Omit<QuantizationConfig, 'fullPrecisionLayers'>> & {
  readonly fullPrecisionLayers?: readonly string[];
};

/** Validates bit widths (throws BitWidthError naming `weightBits`/`activationBits`) and fills defaults. */
export function resolveQuantizationConfig(config: QuantizationConfig): ResolvedQuantizationConfig {
  validateBitWidth(config.weightBits, 'weightBits');
  validateBitWidth(config.activationBits, 'activationBits');
  const quantizer = config.quantizer ?? 'lsq';
  if (quantizer !== 'lsq' && quantizer !== 'minmax') {
    throw new RangeError(`quantizer: expected 'lsq' or 'minmax', found '${String(quantizer)}'`);
  }
  const weightGranularity = config.weightGranularity ?? 'perChannel';
  if (weightGranularity !== 'perChannel' && weightGranularity !== 'perTensor') {
    throw new RangeError(`weightGranularity: expected 'perChannel' or 'perTensor', found '${String(weightGranularity)}'`);
  }
  return {
    weightBits: config.weightBits,
    activationBits: config.activationBits,
    quantizer,
    weightGranularity,
    activationSigned: config.activationSigned ?? 'auto',
    rangeMomentum: config.rangeMomentum ?? 0.01,
    fullPrecisionLayers: config.fullPrecisionLayers,
  };
}
