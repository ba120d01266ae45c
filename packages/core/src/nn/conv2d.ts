import * as tf from '@tensorflow/tfjs-core';
import type { Initializer, ParameterRegistry } from './parameter-registry';

export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  /** 'same' by default; a number pads symmetrically like PyTorch's `padding=k`. */
  padding?: 'same' | 'valid' | number;
  bias?: boolean;
  /** Depthwise-separable groups are not supported; `depthwise` makes a depthwise conv (multiplier 1). */
  depthwise?: boolean;
  /** Initial values; 'he-normal' by default (see {@link ConvInit}). */
  init?: ConvInit;
}

/**
 * How a convolution's filter (and bias) start, fan-in = k·k·inChannels (k·k for depthwise):
 * - 'he-normal': filter N(0, 2/fan-in) (He et al. 2015), bias 0;
 * - 'he-normal-fan-out': filter N(0, 2/fan-out) with fan-out = k·k·outChannels, bias 0 — the
 *   init of PyramidNet's reference code (dyhan0920/PyramidNet-PyTorch, reused by ajiaaa/AUSAM:
 *   `normal_(0, sqrt(2 / (k·k·out_channels)))`);
 * - 'pytorch': PyTorch's `nn.Conv2d` default, `kaiming_uniform_(a=√5)` = U(±1/√fan-in) for the
 *   filter and U(±1/√fan-in) for the bias — std 1/√(3·fan-in), √6 times smaller than He-normal.
 */
export type ConvInit = 'he-normal' | 'he-normal-fan-out' | 'pytorch';

const CONV_INITS: readonly ConvInit[] = ['he-normal', 'he-normal-fan-out', 'pytorch'];

const depthwiseFilters = new WeakSet<tf.Variable>();

/**
 * Whether `variable` is the filter of a depthwise {@link Conv2d} (`[k, k, C, 1]`, PyTorch's
 * `[C, 1, k, k]` with `groups = C`), so weight import/export can lay it out as PyTorch does.
 */
export function isDepthwiseFilter(variable: tf.Variable): boolean {
  return depthwiseFilters.has(variable);
}

/** 2-D convolution, NHWC, initialised as `options.init` says (He-normal by default). */
export class Conv2d {
  readonly filter: tf.Variable;
  readonly bias?: tf.Variable;
  private readonly stride: number;
  private readonly pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

  constructor(
    registry: ParameterRegistry,
    name: string,
    readonly options: Conv2dOptions,
  ) {
    const { inChannels, outChannels, kernelSize, depthwise } = options;
    if (depthwise && outChannels !== inChannels) {
      throw new Error(`Conv2d ${name}: depthwise needs outChannels == inChannels, found ${outChannels} vs ${inChannels}`);
    }
    const shape = depthwise ? [kernelSize, kernelSize, inChannels, 1] : [kernelSize, kernelSize, inChannels, outChannels];
    const fanIn = kernelSize * kernelSize * (depthwise ? 1 : inChannels);
    if (options.init !== undefined && !CONV_INITS.includes(options.init)) {
      throw new Error(`Conv2d ${name}: init must be one of ${CONV_INITS.join(', ')}; found '${String(options.init)}'`);
    }
    const pytorch = options.init === 'pytorch';
    const fanOut = kernelSize * kernelSize * outChannels;
    const filterInit: Initializer = pytorch
      ? { kind: 'fanInUniform', fanIn }
      : options.init === 'he-normal-fan-out'
        ? { kind: 'normal', std: Math.sqrt(2 / fanOut) }
        : { kind: 'heNormal', fanIn };
    this.filter = registry.weight(`${name}/filter`, shape, filterInit);
    if (depthwise) depthwiseFilters.add(this.filter);
    if (options.bias) {
      this.bias = registry.weight(`${name}/bias`, [outChannels], pytorch ? { kind: 'fanInUniform', fanIn } : { kind: 'zeros' });
    }
    this.stride = options.stride ?? 1;
    const padding = options.padding ?? 'same';
    this.pad = typeof padding === 'number' ? [[0, 0], [padding, padding], [padding, padding], [0, 0]] : padding;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const y = this.options.depthwise
      ? tf.depthwiseConv2d(x, this.filter as tf.Tensor4D, this.stride, this.pad)
      : tf.conv2d(x, this.filter as tf.Tensor4D, this.stride, this.pad);
    return this.bias ? tf.add(y, this.bias) : y;
  }
}
