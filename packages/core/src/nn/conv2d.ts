import * as tf from '@tensorflow/tfjs-core';
import type { ParameterRegistry } from './parameter-registry';

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
}

/** 2-D convolution, NHWC, He-normal initialised (fan-in = k·k·inChannels). */
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
    this.filter = registry.weight(`${name}/filter`, shape, { kind: 'heNormal', fanIn });
    if (options.bias) this.bias = registry.weight(`${name}/bias`, [outChannels], { kind: 'zeros' });
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
