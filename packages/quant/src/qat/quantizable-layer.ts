import * as tf from '@tensorflow/tfjs-core';
import { variableName, type TrainableModel } from '@ausam/core';

/** A Conv2d or Dense layer of core's nn, as QAT sees it. */
export interface QuantizableLayer {
  /** Its variables' name prefix, e.g. `stage2/block0/conv1` (from `<name>/filter`). */
  readonly name: string;
  readonly kind: 'conv' | 'depthwiseConv' | 'dense';
  /** The layer object whose `apply` is intercepted. */
  readonly layer: LayerObject;
  /** Property of `layer` holding the weight: `filter` (Conv2d) or `kernel` (Dense). */
  readonly weightKey: 'filter' | 'kernel';
  readonly weight: tf.Variable;
  /** Output-channel axis of the weight: 3 for [k, k, in, out], 2 for depthwise [k, k, in, 1], 1 for Dense [in, out]. */
  readonly channelAxis: number;
}

/** Any object with an `apply(x)` method (core's Conv2d and Dense). */
export type LayerObject = { apply(x: tf.Tensor): tf.Tensor } & Record<string, unknown>;

/**
 * Every Conv2d/Dense layer reachable from `model`'s properties (private fields, arrays and nested
 * objects included), ordered by when its weight was registered, which for models built in forward
 * order (all of `@ausam/classification`'s) is the forward order.
 *
 * Layers are recognised by shape rather than `instanceof`, so a model bundled with its own copy
 * of core's nn is still found: a Conv2d has a `filter` variable and `options.kernelSize`; a Dense
 * has `kernel` and `bias` variables; both have `apply`.
 */
export function findQuantizableLayers(model: TrainableModel): QuantizableLayer[] {
  const found = new Map<tf.Variable, QuantizableLayer>();
  const visited = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || visited.has(value) || value instanceof tf.Tensor) return;
    visited.add(value);
    const layer = asLayer(value);
    if (layer) {
      found.set(layer.weight, layer);
      return;
    }
    const children = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
    for (const child of children) visit(child);
  };
  visit(model);
  const order = new Map(model.trainableVariables.map((v, i) => [v, i]));
  const layers = [...found.values()].filter((l) => order.has(l.weight));
  return layers.sort((a, b) => order.get(a.weight)! - order.get(b.weight)!);
}

function asLayer(value: object): QuantizableLayer | undefined {
  const candidate = value as LayerObject;
  if (typeof candidate.apply !== 'function') return undefined;
  const options = candidate.options as { kernelSize?: unknown; depthwise?: unknown } | undefined;
  if (candidate.filter instanceof tf.Variable && options && typeof options.kernelSize === 'number') {
    const depthwise = options.depthwise === true;
    return {
      name: layerName(candidate.filter, 'filter'),
      kind: depthwise ? 'depthwiseConv' : 'conv',
      layer: candidate,
      weightKey: 'filter',
      weight: candidate.filter,
      channelAxis: depthwise ? 2 : 3,
    };
  }
  if (candidate.kernel instanceof tf.Variable && candidate.bias instanceof tf.Variable) {
    return {
      name: layerName(candidate.kernel, 'kernel'),
      kind: 'dense',
      layer: candidate,
      weightKey: 'kernel',
      weight: candidate.kernel,
      channelAxis: 1,
    };
  }
  return undefined;
}

function layerName(weight: tf.Variable, key: string): string {
  const name = variableName(weight);
  return name.endsWith(`/${key}`) ? name.slice(0, -key.length - 1) : name;
}
