import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, Dense } from '@ausam/core';
import type { Conv2d, ConvInit, ForwardMode, ParameterRegistry } from '@ausam/core';
import { RegistryModel, type AuthorsInit, type ModelOptions } from './classifier-model';
import { conv1x1, conv3x3, globalAveragePool } from './layers';

/** Shape of a {@link ResNet}: a 3×3 stem, then stages of basic blocks, global pooling, a linear head. */
export interface ResNetConfig {
  /** Channels of the stem convolution. */
  readonly stemWidth: number;
  /** Channels of each stage. */
  readonly widths: readonly number[];
  /** Basic blocks per stage. */
  readonly blocks: readonly number[];
  /** Stride of the first block of each stage (1 for the first stage, 2 for the others). */
  readonly strides: readonly number[];
  /** What {@link ResNet.description} says. */
  readonly description: string;
  /** What `init: 'authors'` means (ResNet-18 only: the one ajiaaa/AUSAM trains). */
  readonly authorsInit?: AuthorsInit;
}

/**
 * Post-activation basic block (He et al. 2016, "Deep Residual Learning for Image Recognition",
 * CVPR, Fig. 2 left): conv3×3–BN–ReLU–conv3×3–BN, plus the shortcut, then ReLU. When the shape
 * changes the shortcut is a 1×1 convolution + BN (the paper's option B).
 */
class BasicBlock {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly projection?: { conv: Conv2d; bn: BatchNorm };

  constructor(registry: ParameterRegistry, name: string, inChannels: number, outChannels: number, stride: number, init: ConvInit) {
    this.conv1 = conv3x3(registry, `${name}/conv1`, inChannels, outChannels, stride, init);
    this.bn1 = new BatchNorm(registry, `${name}/bn1`, outChannels);
    this.conv2 = conv3x3(registry, `${name}/conv2`, outChannels, outChannels, 1, init);
    this.bn2 = new BatchNorm(registry, `${name}/bn2`, outChannels);
    if (stride !== 1 || inChannels !== outChannels) {
      this.projection = {
        conv: conv1x1(registry, `${name}/shortcut/conv`, inChannels, outChannels, stride, init),
        bn: new BatchNorm(registry, `${name}/shortcut/bn`, outChannels),
      };
    }
  }

  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const hidden = tf.relu(this.bn1.apply(this.conv1.apply(x), mode));
    const out = this.bn2.apply(this.conv2.apply(hidden), mode);
    const shortcut = this.projection ? this.projection.bn.apply(this.projection.conv.apply(x), mode) : x;
    return tf.relu(tf.add(out, shortcut)) as tf.Tensor4D;
  }
}

/**
 * Residual network of basic blocks for small images (He et al. 2016, "Deep Residual Learning for
 * Image Recognition", CVPR): covers the CIFAR ResNets of §4.2 (ResNet-20/32/56/110: widths
 * 16-32-64, 6n+2 layers) and the CIFAR ResNet-18 used by the SAM literature (3×3 stem of 64, no
 * max-pool, [2,2,2,2] blocks of 64-128-256-512, as in kuangliu/pytorch-cifar). All shortcuts that
 * change shape are 1×1 conv + BN projections (option B); identity elsewhere.
 */
export class ResNet extends RegistryModel {
  readonly description: string;
  /** The shape it was built with (stages, widths, strides): what an export rebuilds it from. */
  readonly config: ResNetConfig;
  /** Channels of the input images. */
  readonly inputChannels: number;
  private readonly stem: Conv2d;
  private readonly stemBn: BatchNorm;
  private readonly stages: BasicBlock[][] = [];
  private readonly head: Dense;

  constructor(options: ModelOptions, config: ResNetConfig) {
    super(options, config.description, config.authorsInit);
    const { stemWidth, widths, blocks, strides } = config;
    if (widths.length !== blocks.length || widths.length !== strides.length) {
      throw new Error('ResNet: widths, blocks and strides must have one entry per stage');
    }
    this.description = config.description;
    this.config = config;
    this.inputChannels = options.inputChannels;
    const r = this.registry;
    this.stem = conv3x3(r, 'stem/conv', options.inputChannels, stemWidth, 1, this.init);
    this.stemBn = new BatchNorm(r, 'stem/bn', stemWidth);
    let channels = stemWidth;
    widths.forEach((width, s) => {
      const stage: BasicBlock[] = [];
      for (let b = 0; b < blocks[s]; b++) {
        stage.push(new BasicBlock(r, `stage${s + 1}/block${b}`, channels, width, b === 0 ? strides[s] : 1, this.init));
        channels = width;
      }
      this.stages.push(stage);
    });
    this.head = new Dense(r, 'head', channels, options.numClasses, this.headInit);
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    let x = tf.relu(this.stemBn.apply(this.stem.apply(images), mode));
    for (const stage of this.stages) for (const block of stage) x = block.apply(x, mode);
    return this.head.apply(globalAveragePool(x));
  }
}

/** CIFAR ResNet-18 (3×3 stem, no max-pool, widths 64-128-256-512, [2,2,2,2] basic blocks). */
export function resnet18(options: ModelOptions): ResNet {
  return new ResNet(options, {
    stemWidth: 64,
    widths: [64, 128, 256, 512],
    blocks: [2, 2, 2, 2],
    strides: [1, 2, 2, 2],
    description: 'ResNet-18, CIFAR variant (He et al. 2016; 3x3 stem, no max-pool, option-B shortcuts)',
    // ajiaaa/AUSAM's model/resnet.py (kuangliu/pytorch-cifar's) sets no init: PyTorch's defaults.
    authorsInit: { conv: 'pytorch', head: 'pytorch', source: "ajiaaa/AUSAM model/resnet.py (PyTorch's defaults)" },
  });
}

/**
 * He et al.'s CIFAR ResNet of `depth` = 6n+2 layers (20, 32, 44, 56, 110, …), widths 16-32-64,
 * scaled by `width / 16` (`width` = channels of the first stage). `label` prefixes the description.
 * `firstStageStride` 2 halves the resolution before the first stage (≈4× fewer FLOPs: CPU scale).
 */
export function cifarResNet(options: ModelOptions, depth: number, width = 16, label?: string, firstStageStride = 1): ResNet {
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new RangeError(`CIFAR ResNet: depth must be 6n+2 with n >= 1 (8, 14, 20, 32, 56, …), found ${depth}`);
  }
  const n = (depth - 2) / 6;
  return new ResNet(options, {
    stemWidth: width,
    widths: [width, 2 * width, 4 * width],
    blocks: [n, n, n],
    strides: [firstStageStride, 2, 2],
    description:
      (label ? `${label}: ` : '') +
      `ResNet-${depth}, CIFAR (He et al. 2016, widths ${width}-${2 * width}-${4 * width}, option-B shortcuts` +
      (firstStageStride !== 1 ? `, first stage stride ${firstStageStride})` : ')'),
  });
}
