import { distinctValuesPerChannel } from '../quantizers/distinct-values';
import type { QuantizedClassifier } from './quantized-classifier';

/** What {@link verifyWeightLevels} found in one layer. */
export interface LayerLevels {
  readonly layer: string;
  readonly channels: number;
  /** Most distinct values in any output channel of the fake-quantized weight. */
  readonly maxDistinctPerChannel: number;
  /** 2^weightBits. */
  readonly limit: number;
  readonly ok: boolean;
}

export interface WeightLevelReport {
  readonly ok: boolean;
  readonly layers: readonly LayerLevels[];
}

/**
 * Checks that every quantized layer's fake-quantized weight takes at most 2^b distinct values in
 * each output channel — what a b-bit integer weight with one scale per channel (or per tensor)
 * can represent. Reads the weights back to the CPU.
 */
export function verifyWeightLevels(model: QuantizedClassifier): WeightLevelReport {
  const limit = 2 ** model.config.weightBits;
  const layers = model.quantizedLayers.map((layer) => {
    const quantized = model.quantizedWeight(layer.name);
    const counts = distinctValuesPerChannel(quantized, layer.channelAxis);
    quantized.dispose();
    const maxDistinctPerChannel = Math.max(...counts);
    return { layer: layer.name, channels: counts.length, maxDistinctPerChannel, limit, ok: maxDistinctPerChannel <= limit };
  });
  return { ok: layers.every((l) => l.ok), layers };
}
