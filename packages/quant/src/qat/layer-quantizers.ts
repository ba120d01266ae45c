import type { ParameterRegistry } from '@ausam/core';
import type { FakeQuantizer } from '../quantizers/fake-quantizer';
import { LsqQuantizer } from '../quantizers/lsq-quantizer';
import { MinMaxQuantizer } from '../quantizers/min-max-quantizer';
import type { QuantizableLayer } from './quantizable-layer';
import type { ResolvedQuantizationConfig } from './quantization-config';

/** The two quantizers of one quantized layer. */
export interface LayerQuantizers {
  /** Signed grid on the weight, per output channel or per tensor. */
  readonly weight: FakeQuantizer;
  /** Grid on the layer's input activations, per tensor. */
  readonly input: FakeQuantizer;
}

/**
 * Builds `layer`'s quantizers in `registry`, named `<layer>/weight_quantizer` and
 * `<layer>/input_quantizer`: LSQ (signed weights, `activationSigned` inputs, N in g as LSQ defines
 * it for weights and activations) or min/max (current weight range, EMA input range).
 */
export function buildLayerQuantizers(
  registry: ParameterRegistry,
  layer: QuantizableLayer,
  config: ResolvedQuantizationConfig,
): LayerQuantizers {
  const weightName = `${layer.name}/weight_quantizer`;
  const inputName = `${layer.name}/input_quantizer`;
  const granularity = config.weightGranularity;
  const channelAxis = layer.channelAxis;
  const channels = layer.weight.shape[channelAxis];
  if (config.quantizer === 'minmax') {
    return {
      weight: new MinMaxQuantizer(registry, weightName, { bits: config.weightBits, granularity, channelAxis, channels }),
      input: new MinMaxQuantizer(registry, inputName, {
        bits: config.activationBits,
        rangeTracking: 'ema',
        momentum: config.rangeMomentum,
      }),
    };
  }
  return {
    weight: new LsqQuantizer(registry, weightName, {
      bits: config.weightBits,
      signed: true,
      role: 'weight',
      granularity,
      channelAxis,
      channels,
    }),
    input: new LsqQuantizer(registry, inputName, {
      bits: config.activationBits,
      signed: config.activationSigned,
      role: 'activation',
    }),
  };
}
