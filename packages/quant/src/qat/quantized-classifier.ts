import * as tf from '@tensorflow/tfjs-core';
import { ParameterRegistry, restoreWeights, Rng, type ForwardMode } from '@ausam/core';
import type { ClassifierModel } from '@ausam/classification';
import { EVALUATION_MODE } from '../quantizers/fake-quantizer';
import { interceptLayer, type LayerTransforms } from './layer-interceptor';
import { buildLayerQuantizers, type LayerQuantizers } from './layer-quantizers';
import { findQuantizableLayers, type QuantizableLayer } from './quantizable-layer';
import { resolveQuantizationConfig, type QuantizationConfig, type ResolvedQuantizationConfig } from './quantization-config';

/** A quantized Conv2d/Dense layer and its quantizers. */
export interface QuantizedLayer extends QuantizableLayer {
  readonly quantizers: LayerQuantizers;
}

/** Full-precision weights by variable name (as core's `snapshotWeights` returns them). */
export type FullPrecisionWeights = Readonly<Record<string, Float32Array>> | ReadonlyMap<string, Float32Array>;

/**
 * A classifier from `@ausam/classification` trained with quantization-aware training (QAT): in
 * {@link forward}, every Conv2d/Dense layer except the kept full-precision ones (by default the
 * first conv and the last dense) runs on its fake-quantized weight and fake-quantized input,
 * W_q = Q_w(W), x_q = Q_a(x) (Esser et al. 2020, Fig. 1; Jacob et al. 2018, §3).
 *
 * The base model's code is not touched and knows nothing of quantization: each layer's `apply`
 * is intercepted on the instance (see {@link interceptLayer}) and only while this wrapper's
 * `forward` runs, so `base.forward` still gives the full-precision network.
 *
 * It is itself a {@link ClassifierModel}: core's optimizers see the base model's variables followed
 * by the quantizers' (LSQ steps are trained; `signed` flags and EMA ranges are state), so
 * classification's task, SAM/AUSAM and checkpoints work unchanged. It owns `base` and disposes it.
 */
export class QuantizedClassifier implements ClassifierModel {
  readonly config: ResolvedQuantizationConfig;
  readonly description: string;
  readonly numClasses: number;
  readonly quantizedLayers: readonly QuantizedLayer[];
  /** Names of the Conv2d/Dense layers left in full precision. */
  readonly fullPrecisionLayers: readonly string[];
  private readonly registry = new ParameterRegistry(new Rng(0));
  private readonly removeInterceptors: (() => void)[] = [];
  private readonly trainable: readonly tf.Variable[];
  private readonly state: readonly tf.Variable[];
  private activeMode: ForwardMode | undefined;

  constructor(
    readonly base: ClassifierModel,
    config: QuantizationConfig,
  ) {
    this.config = resolveQuantizationConfig(config);
    this.numClasses = base.numClasses;
    const layers = findQuantizableLayers(base);
    if (layers.length === 0) throw new Error(`QuantizedClassifier: '${base.description}' has no Conv2d or Dense layer`);
    const keep = this.config.fullPrecisionLayers ?? defaultFullPrecisionLayers(layers);
    const names = new Set(layers.map((l) => l.name));
    for (const name of keep) {
      if (!names.has(name)) {
        throw new Error(`fullPrecisionLayers: unknown layer '${name}'; the model's layers are ${[...names].join(', ')}`);
      }
    }
    this.fullPrecisionLayers = [...keep];
    this.quantizedLayers = layers
      .filter((l) => !keep.includes(l.name))
      .map((l) => ({ ...l, quantizers: buildLayerQuantizers(this.registry, l, this.config) }));
    for (const layer of this.quantizedLayers) {
      const transforms = this.transformsOf(layer.quantizers);
      this.removeInterceptors.push(interceptLayer(layer.layer, layer.weightKey, () => (this.activeMode ? transforms : undefined)));
    }
    this.trainable = [...base.trainableVariables, ...this.registry.trainableVariables];
    this.state = [...base.stateVariables, ...this.registry.stateVariables];
    const { weightBits, activationBits, quantizer, weightGranularity } = this.config;
    this.description =
      `${base.description}; QAT W${weightBits}A${activationBits} (${quantizer === 'lsq' ? 'LSQ' : 'min/max'}, ` +
      `${weightGranularity === 'perChannel' ? 'per-channel' : 'per-tensor'} weights; full precision: ${this.fullPrecisionLayers.join(', ')})`;
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.trainable;
  }

  get stateVariables(): readonly tf.Variable[] {
    return this.state;
  }

  /** The quantizers' trained variables (LSQ steps); empty for min/max. */
  get quantizerVariables(): readonly tf.Variable[] {
    return this.registry.trainableVariables;
  }

  /**
   * Logits of the quantized network. Quantizers that have not been initialised yet are initialised
   * here from what they see (weights: LSQ's 2⟨|w|⟩/√Qp; inputs: the same on this batch).
   */
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    if (this.activeMode) throw new Error('QuantizedClassifier.forward: re-entered (a layer called forward?)');
    this.activeMode = mode;
    try {
      return this.base.forward(images, mode);
    } finally {
      this.activeMode = undefined;
    }
  }

  /** The fake-quantized weight of quantized layer `name` (evaluation mode; the caller disposes it). */
  quantizedWeight(name: string): tf.Tensor {
    const layer = this.quantizedLayers.find((l) => l.name === name);
    if (!layer) {
      throw new Error(`quantizedWeight: '${name}' is not a quantized layer; they are ${this.quantizedLayers.map((l) => l.name).join(', ')}`);
    }
    return tf.tidy(() => layer.quantizers.weight.quantize(layer.weight, EVALUATION_MODE));
  }

  /**
   * Loads a full-precision checkpoint of the base model (every base variable must be present, with
   * its size) and resets the quantizers, so weight steps are initialised from the loaded weights
   * and activation steps from the next batch.
   */
  initializeFromFullPrecision(weights: FullPrecisionWeights): void {
    const record = weights instanceof Map ? Object.fromEntries(weights) : (weights as Record<string, Float32Array>);
    restoreWeights(this.base, record, 'full-precision checkpoint');
    this.resetQuantizers();
  }

  /** Forgets every quantizer's data-driven parameters; the next forward initialises them again. */
  resetQuantizers(): void {
    for (const layer of this.quantizedLayers) {
      layer.quantizers.weight.reset();
      layer.quantizers.input.reset();
    }
  }

  parameterCount(): number {
    return this.base.parameterCount() + this.registry.parameterCount();
  }

  /** Removes the interceptors and releases the quantizers' and the base model's variables. */
  dispose(): void {
    for (const remove of this.removeInterceptors.splice(0)) remove();
    this.registry.dispose();
    this.base.dispose();
  }

  private transformsOf(quantizers: LayerQuantizers): LayerTransforms {
    return {
      input: (x) => quantizers.input.quantize(x, this.activeMode),
      weight: (w) => quantizers.weight.quantize(w, this.activeMode),
    };
  }
}

/** Wraps `base` for QAT (see {@link QuantizedClassifier}). */
export function quantizeModel(base: ClassifierModel, config: QuantizationConfig): QuantizedClassifier {
  return new QuantizedClassifier(base, config);
}

/** The first conv (input layer) and the last dense (classifier), in registration order. */
function defaultFullPrecisionLayers(layers: readonly QuantizableLayer[]): string[] {
  const firstConv = layers.find((l) => l.kind !== 'dense');
  const lastDense = [...layers].reverse().find((l) => l.kind === 'dense');
  return [firstConv, lastDense].filter((l): l is QuantizableLayer => l !== undefined).map((l) => l.name);
}
