import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, Dense } from '@ausam/core';
import type { Conv2d, ConvInit, ForwardMode, ParameterRegistry } from '@ausam/core';
import { RegistryModel, type ModelOptions } from './classifier-model';
import { conv1x1, conv3x3, depthwise3x3, globalAveragePool } from './layers';

/** MobileNetV1 body (Howard et al. 2017, Table 1): [output channels, stride] of the 13 separable blocks. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/** Depthwise separable block: depthwise 3×3–BN–ReLU, then pointwise 1×1–BN–ReLU (Howard et al. 2017, Fig. 3). */
class SeparableBlock {
  private readonly depthwise: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly pointwise: Conv2d;
  private readonly bn2: BatchNorm;

  constructor(registry: ParameterRegistry, name: string, inChannels: number, outChannels: number, stride: number, init: ConvInit) {
    this.depthwise = depthwise3x3(registry, `${name}/depthwise`, inChannels, stride, init);
    this.bn1 = new BatchNorm(registry, `${name}/bn1`, inChannels);
    this.pointwise = conv1x1(registry, `${name}/pointwise`, inChannels, outChannels, 1, init);
    this.bn2 = new BatchNorm(registry, `${name}/bn2`, outChannels);
  }

  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const h = tf.relu(this.bn1.apply(this.depthwise.apply(x), mode));
    return tf.relu(this.bn2.apply(this.pointwise.apply(h), mode));
  }
}

export interface MobileNetV1Config {
  /** Width multiplier α (Howard et al. 2017, §3.3): every layer has round(α·channels) channels. Default 1. */
  readonly widthMultiplier?: number;
  /**
   * Stride of the 3×3 stem convolution: 2 in the ImageNet original; 1 (default) for 32×32/64×64
   * inputs, as in the CIFAR/Tiny-ImageNet ports (e.g. kuangliu/pytorch-cifar). Does not change the
   * parameter count.
   */
  readonly stemStride?: number;
}

/**
 * MobileNetV1 (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile
 * Vision Applications"): a 3×3 stem of 32, 13 depthwise separable blocks up to 1024 channels,
 * global average pooling and a linear head; ReLU as in the paper (not Keras' ReLU6). With α = 1
 * and 1000 classes it has 4,231,976 trained parameters, Keras' MobileNet count.
 */
export class MobileNetV1 extends RegistryModel {
  readonly description: string;
  private readonly stem: Conv2d;
  private readonly stemBn: BatchNorm;
  private readonly blocks: SeparableBlock[] = [];
  private readonly head: Dense;

  constructor(options: ModelOptions, config: MobileNetV1Config = {}) {
    super(options, 'mobilenetv1');
    const alpha = config.widthMultiplier ?? 1;
    const stemStride = config.stemStride ?? 1;
    if (!Number.isFinite(alpha) || alpha <= 0) {
      throw new RangeError(`MobileNetV1: width multiplier must be > 0, found ${alpha}`);
    }
    if (stemStride !== 1 && stemStride !== 2) throw new RangeError(`MobileNetV1: stem stride must be 1 or 2, found ${stemStride}`);
    this.description = `MobileNetV1 (Howard et al. 2017, width multiplier ${alpha}, stem stride ${stemStride})`;
    const scaled = (channels: number) => Math.max(1, Math.round(channels * alpha));
    const r = this.registry;
    let channels = scaled(32);
    this.stem = conv3x3(r, 'stem/conv', options.inputChannels, channels, stemStride, this.init);
    this.stemBn = new BatchNorm(r, 'stem/bn', channels);
    BLOCKS.forEach(([width, stride], i) => {
      const out = scaled(width);
      this.blocks.push(new SeparableBlock(r, `block${i + 1}`, channels, out, stride, this.init));
      channels = out;
    });
    this.head = new Dense(r, 'head', channels, options.numClasses);
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    let x = tf.relu(this.stemBn.apply(this.stem.apply(images), mode));
    for (const block of this.blocks) x = block.apply(x, mode);
    return this.head.apply(globalAveragePool(x));
  }
}
