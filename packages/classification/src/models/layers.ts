import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, type ConvInit, type ParameterRegistry } from '@ausam/core';

/** Initialisation of the classification models' convolutions unless `ModelOptions.init` says otherwise. */
export const DEFAULT_CONV_INIT: ConvInit = 'pytorch';

/**
 * 3×3 convolution without bias, padding 1 on every side as in PyTorch (`padding=1`), so stride-2
 * layers sample the same pixels as the reference implementations (TF's 'same' pads bottom/right only).
 */
export function conv3x3(
  registry: ParameterRegistry,
  name: string,
  inChannels: number,
  outChannels: number,
  stride = 1,
  init: ConvInit = DEFAULT_CONV_INIT,
): Conv2d {
  return new Conv2d(registry, name, { inChannels, outChannels, kernelSize: 3, stride, padding: 1, init });
}

/** 1×1 convolution without bias (projection shortcuts, pointwise and bottleneck layers). */
export function conv1x1(
  registry: ParameterRegistry,
  name: string,
  inChannels: number,
  outChannels: number,
  stride = 1,
  init: ConvInit = DEFAULT_CONV_INIT,
): Conv2d {
  return new Conv2d(registry, name, { inChannels, outChannels, kernelSize: 1, stride, padding: 'valid', init });
}

/** 3×3 depthwise convolution without bias, PyTorch padding 1. */
export function depthwise3x3(
  registry: ParameterRegistry,
  name: string,
  channels: number,
  stride = 1,
  init: ConvInit = DEFAULT_CONV_INIT,
): Conv2d {
  return new Conv2d(registry, name, {
    inChannels: channels,
    outChannels: channels,
    kernelSize: 3,
    stride,
    padding: 1,
    depthwise: true,
    init,
  });
}

/** Mean over the spatial axes: `[N, H, W, C]` → `[N, C]`. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}

/** Appends zero channels so `x` has `channels` channels (PyramidNet's zero-padded shortcut). */
export function padChannels(x: tf.Tensor4D, channels: number): tf.Tensor4D {
  const extra = channels - x.shape[3];
  if (extra < 0) throw new Error(`padChannels: input has ${x.shape[3]} channels, more than ${channels}`);
  return extra === 0 ? x : tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, extra]]);
}
