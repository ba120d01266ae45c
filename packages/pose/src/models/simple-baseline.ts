import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, Rng } from '@ausam/core';
import type { Size } from '../transforms/affine';
import { BatchNorm, ParameterRegistry } from '@ausam/core';
import { ConvBn, ConvTranspose2d, HeatmapHead } from './layers';
import type { PoseModel } from './pose-model';
import { residualBlock } from './residual-blocks';
import type { BlockKind, ResidualBlock } from './residual-blocks';

/**
 * SimpleBaseline (Xiao et al. 2018, "Simple Baselines for Human Pose Estimation and Tracking", §2): a
 * ResNet backbone (stem conv 7×7/2 + max-pool 3×3/2, four stages at strides 4, 8, 16, 32), then
 * `deconvChannels.length` 4×4 stride-2 deconvolutions with BN + ReLU back to 1/4, then a 1×1 conv to K
 * heatmaps. ResNet-50 + 3×256 deconvs is the paper's default.
 */
export interface SimpleBaselineConfig {
  readonly kind: 'simpleBaseline';
  readonly numJoints: number;
  readonly inputSize: Size;
  readonly block: BlockKind;
  readonly stemChannels: number;
  /** Blocks per stage, e.g. [2, 2, 2, 2] (ResNet-18) or [3, 4, 6, 3] (ResNet-50). */
  readonly depths: readonly number[];
  /** Block width per stage, e.g. [64, 128, 256, 512]. */
  readonly widths: readonly number[];
  /** Output widths of the ×2 deconvolutions; exactly (stages − 1) of them bring 1/(4·2^(stages−1)) back to 1/4. */
  readonly deconvChannels: readonly number[];
}

/** ResNet-50 + three 256-wide deconvolutions, the paper's 256×192 COCO model (≈ 34 M parameters). */
export function simpleBaselineResNet50(numJoints: number, inputSize: Size): SimpleBaselineConfig {
  return {
    kind: 'simpleBaseline',
    numJoints,
    inputSize,
    block: 'bottleneck',
    stemChannels: 64,
    depths: [3, 4, 6, 3],
    widths: [64, 128, 256, 512],
    deconvChannels: [256, 256, 256],
  };
}

/** A small CPU member: a ResNet-10-like backbone of widths 16–128 with two 64-wide deconvolutions (1/16 → 1/4). */
export function simpleBaselineSmall(numJoints: number, inputSize: Size = { width: 64, height: 64 }): SimpleBaselineConfig {
  return {
    kind: 'simpleBaseline',
    numJoints,
    inputSize,
    block: 'basic',
    stemChannels: 16,
    depths: [1, 1, 1],
    widths: [16, 32, 64],
    deconvChannels: [32, 32],
  };
}

/**
 * The backbone downsamples by 4·2^(stages−1); the deconvolutions upsample by 2^deconvs. The output is at
 * 1/4 of the input when deconvs = stages − 1 (3 deconvs after the 4 stages of a ResNet).
 */
export class SimpleBaseline implements PoseModel {
  readonly inputSize: Size;
  readonly heatmapSize: Size;
  readonly numJoints: number;
  private readonly registry: ParameterRegistry;
  private readonly stem: ConvBn;
  private readonly blocks: ResidualBlock[] = [];
  private readonly deconvs: { deconv: ConvTranspose2d; norm: BatchNorm }[] = [];
  private readonly head: HeatmapHead;

  constructor(
    readonly config: SimpleBaselineConfig,
    rng: Rng,
    registry: ParameterRegistry = new ParameterRegistry(rng),
  ) {
    const { inputSize, depths, widths, deconvChannels } = config;
    if (depths.length !== widths.length || depths.length === 0) {
      throw new RangeError(`SimpleBaseline: depths and widths must be non-empty and of equal length, found ${depths.length} and ${widths.length}`);
    }
    if (deconvChannels.length !== depths.length - 1) {
      throw new RangeError(
        `SimpleBaseline: ${depths.length} stages reach 1/${4 * 2 ** (depths.length - 1)}; ${depths.length - 1} deconvolutions are needed to return to 1/4, found ${deconvChannels.length}`,
      );
    }
    const stride = 4 * 2 ** (depths.length - 1);
    if (inputSize.width % stride !== 0 || inputSize.height % stride !== 0) {
      throw new RangeError(`SimpleBaseline: input ${inputSize.width}×${inputSize.height} must be divisible by ${stride}`);
    }
    this.inputSize = inputSize;
    this.heatmapSize = { width: inputSize.width / 4, height: inputSize.height / 4 };
    this.numJoints = config.numJoints;
    this.registry = registry;
    this.stem = new ConvBn(registry, 'stem', { inChannels: 3, outChannels: config.stemChannels, kernelSize: 7, stride: 2 }, true);
    let channels = config.stemChannels;
    depths.forEach((depth, s) => {
      for (let b = 0; b < depth; b++) {
        const block = residualBlock(registry, `layer${s + 1}/block${b}`, config.block, channels, widths[s], b === 0 && s > 0 ? 2 : 1);
        this.blocks.push(block);
        channels = block.outChannels;
      }
    });
    deconvChannels.forEach((out, d) => {
      this.deconvs.push({
        deconv: new ConvTranspose2d(registry, `deconv${d}`, channels, out),
        norm: new BatchNorm(registry, `deconv${d}/bn`, out),
      });
      channels = out;
    });
    this.head = new HeatmapHead(registry, 'head', channels, config.numJoints);
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.registry.trainableVariables;
  }

  get stateVariables(): readonly tf.Variable[] {
    return this.registry.stateVariables;
  }

  parameterCount(): number {
    return this.registry.parameterCount();
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    let x = tf.maxPool(this.stem.apply(images, mode), 3, 2, 'same');
    x = this.blocks.reduce((y, block) => block.apply(y, mode), x);
    for (const { deconv, norm } of this.deconvs) x = tf.relu(norm.apply(deconv.apply(x), mode));
    return this.head.apply(x);
  }

  dispose(): void {
    this.registry.dispose();
  }
}
