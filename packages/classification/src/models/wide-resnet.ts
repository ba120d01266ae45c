import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, Dense } from '@ausam/core';
import type { Conv2d, ConvInit, ForwardMode, ParameterRegistry } from '@ausam/core';
import { RegistryModel, type AuthorsInit, type ModelOptions } from './classifier-model';
import { conv1x1, conv3x3, globalAveragePool } from './layers';

/**
 * Pre-activation wide basic block (Zagoruyko & Komodakis 2016, "Wide Residual Networks", BMVC,
 * block B(3,3); He et al. 2016b ordering): BN–ReLU–conv3×3–BN–ReLU–conv3×3, plus the shortcut.
 * When the width changes, the shortcut is a 1×1 convolution of the pre-activated input, as in the
 * authors' code and xternalz/WideResNet-pytorch. No dropout (the SAM paper trains WRNs without it).
 */
class WideBasicBlock {
  private readonly bn1: BatchNorm;
  private readonly conv1: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly projection?: Conv2d;

  constructor(
    registry: ParameterRegistry,
    name: string,
    inChannels: number,
    outChannels: number,
    stride: number,
    init: ConvInit,
    alwaysProject: boolean,
  ) {
    this.bn1 = new BatchNorm(registry, `${name}/bn1`, inChannels);
    this.conv1 = conv3x3(registry, `${name}/conv1`, inChannels, outChannels, stride, init);
    this.bn2 = new BatchNorm(registry, `${name}/bn2`, outChannels);
    this.conv2 = conv3x3(registry, `${name}/conv2`, outChannels, outChannels, 1, init);
    if (alwaysProject || inChannels !== outChannels || stride !== 1) {
      this.projection = conv1x1(registry, `${name}/shortcut/conv`, inChannels, outChannels, stride, init);
    }
  }

  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const activated = tf.relu(this.bn1.apply(x, mode));
    const shortcut = this.projection ? this.projection.apply(activated) : x;
    const hidden = tf.relu(this.bn2.apply(this.conv1.apply(activated), mode));
    return tf.add(this.conv2.apply(hidden), shortcut);
  }
}

/**
 * How the groups of a {@link WideResNet} are built:
 * - 'standard': (depth−4)/6 blocks per group, the first one projecting when the shape changes
 *   (Zagoruyko & Komodakis' code; WRN-28-10 has 36,479,194 parameters on CIFAR-10);
 * - 'ausam': the WRN of ajiaaa/AUSAM's `model/wide_res_net.py` (davda54/sam's example, which the
 *   authors reuse): each group is one `DownsampleUnit` (always a 1×1 projection) plus
 *   (depth−4)/6 `BasicUnit`s, so (depth−4)/6 + 1 blocks per group — 5 for WRN-28-10, 46,160,474
 *   parameters on CIFAR-10, and 2 more conv layers per group than its name says.
 */
export type WideResNetVariant = 'standard' | 'ausam';

/**
 * What ajiaaa/AUSAM's `model/wide_res_net.py` does (`_initialize`): convs kaiming_normal_ fan-in,
 * BatchNorm γ = 1, β = 0, the linear layer's weight and bias zero.
 */
const WRN_AUTHORS_INIT: AuthorsInit = {
  conv: 'he-normal',
  head: 'zeros',
  source: 'ajiaaa/AUSAM model/wide_res_net.py: kaiming_normal_(fan_in) convs, zero Linear',
};

/**
 * WRN-`depth`-`k` (Zagoruyko & Komodakis 2016, "Wide Residual Networks", BMVC): a 3×3 conv of 16,
 * three groups of wide basic blocks of widths 16k, 32k, 64k (strides 1, 2, 2; blocks per group as
 * {@link WideResNetVariant} says), then BN–ReLU, global average pooling and a linear head.
 * WRN-28-10 is the SAM paper's CIFAR model; `variant: 'ausam'` is the one AUSAM's code trains.
 */
export class WideResNet extends RegistryModel {
  readonly description: string;
  private readonly stem: Conv2d;
  private readonly blocks: WideBasicBlock[] = [];
  private readonly finalBn: BatchNorm;
  private readonly head: Dense;

  constructor(options: ModelOptions, depth: number, widenFactor: number, readonly variant: WideResNetVariant = 'standard') {
    super(options, `WRN-${depth}-${widenFactor}`, WRN_AUTHORS_INIT);
    if (variant !== 'standard' && variant !== 'ausam') {
      throw new RangeError(`WideResNet: variant must be 'standard' or 'ausam', found '${String(variant)}'`);
    }
    if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) {
      throw new RangeError(`WideResNet: depth must be 6n+4 with n >= 1 (10, 16, 22, 28, 40, …), found ${depth}`);
    }
    if (!Number.isInteger(widenFactor) || widenFactor < 1) {
      throw new RangeError(`WideResNet: widen factor must be a positive integer, found ${widenFactor}`);
    }
    const n = (depth - 4) / 6;
    const blocksPerGroup = variant === 'ausam' ? n + 1 : n;
    this.description =
      `WRN-${depth}-${widenFactor} (Zagoruyko & Komodakis 2016, pre-activation wide basic blocks, no dropout` +
      (variant === 'ausam' ? `; ajiaaa/AUSAM's variant: ${blocksPerGroup} blocks per group, the first always projecting)` : ')');
    const r = this.registry;
    this.stem = conv3x3(r, 'stem/conv', options.inputChannels, 16, 1, this.init);
    let channels = 16;
    [16, 32, 64].forEach((base, g) => {
      const width = base * widenFactor;
      for (let b = 0; b < blocksPerGroup; b++) {
        const stride = b === 0 && g > 0 ? 2 : 1;
        const alwaysProject = variant === 'ausam' && b === 0;
        this.blocks.push(new WideBasicBlock(r, `group${g + 1}/block${b}`, channels, width, stride, this.init, alwaysProject));
        channels = width;
      }
    });
    this.finalBn = new BatchNorm(r, 'final/bn', channels);
    this.head = new Dense(r, 'head', channels, options.numClasses, this.headInit);
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    let x = this.stem.apply(images);
    for (const block of this.blocks) x = block.apply(x, mode);
    x = tf.relu(this.finalBn.apply(x, mode));
    return this.head.apply(globalAveragePool(x));
  }
}
