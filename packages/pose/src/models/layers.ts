import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode } from '@ausam/core';
import { BatchNorm, Conv2d, ParameterRegistry } from '@ausam/core';

/** conv (no bias) → BatchNorm → optional ReLU, the unit HRNet and ResNet are built from. */
export class ConvBn {
  private readonly conv: Conv2d;
  private readonly norm: BatchNorm;

  constructor(
    registry: ParameterRegistry,
    name: string,
    options: { inChannels: number; outChannels: number; kernelSize: number; stride?: number },
    private readonly relu: boolean,
  ) {
    const padding = (options.kernelSize - 1) / 2;
    this.conv = new Conv2d(registry, `${name}/conv`, { ...options, padding, bias: false });
    this.norm = new BatchNorm(registry, `${name}/bn`, options.outChannels);
  }

  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const y = this.norm.apply(this.conv.apply(x), mode);
    return this.relu ? tf.relu(y) : y;
  }
}

/**
 * The final 1×1 convolution to K heatmaps, with bias, weights ~ N(0, 0.001²) and zero bias as in
 * HRNet's `init_weights`, so the first predictions are near 0 (the value of most target pixels).
 */
export class HeatmapHead {
  private readonly filter: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(registry: ParameterRegistry, name: string, inChannels: number, joints: number) {
    this.filter = registry.weight(`${name}/filter`, [1, 1, inChannels, joints], { kind: 'normal', std: 0.001 });
    this.bias = registry.weight(`${name}/bias`, [joints], { kind: 'zeros' });
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(tf.conv2d(x, this.filter as tf.Tensor4D, 1, 'valid'), this.bias);
  }
}

/**
 * Transposed convolution ("deconvolution", Xiao et al. 2018) with kernel k, stride 2 and padding
 * (k − 2)/2, doubling height and width like PyTorch's ConvTranspose2d(k=4, s=2, p=1). Weights
 * ~ N(0, 0.001²), no bias (a BatchNorm follows), as in SimpleBaseline.
 */
export class ConvTranspose2d {
  readonly filter: tf.Variable;

  constructor(
    registry: ParameterRegistry,
    name: string,
    private readonly inChannels: number,
    private readonly outChannels: number,
    private readonly kernelSize = 4,
  ) {
    if (kernelSize % 2 !== 0) throw new RangeError(`ConvTranspose2d ${name}: kernel size must be even for exact ×2 upsampling, found ${kernelSize}`);
    // tfjs keeps transposed-conv filters as [k, k, outChannels, inChannels].
    this.filter = registry.weight(`${name}/filter`, [kernelSize, kernelSize, outChannels, inChannels], { kind: 'normal', std: 0.001 });
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [n, h, w, c] = x.shape;
    if (c !== this.inChannels) throw new RangeError(`ConvTranspose2d: expected ${this.inChannels} input channels, found ${c}`);
    const pad = (this.kernelSize - 2) / 2;
    return tf.conv2dTranspose(x, this.filter as tf.Tensor4D, [n, 2 * h, 2 * w, this.outChannels], 2, pad);
  }
}
