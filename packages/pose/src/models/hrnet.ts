import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, Rng } from '@ausam/core';
import type { Size } from '../transforms/affine';
import { ParameterRegistry } from '@ausam/core';
import { ConvBn, HeatmapHead } from './layers';
import type { PoseModel } from './pose-model';
import { residualBlock } from './residual-blocks';
import type { BlockKind, ResidualBlock } from './residual-blocks';

/** One multi-resolution stage: `modules` exchange units over `channels.length` parallel branches. */
export interface HRNetStageConfig {
  readonly modules: number;
  /** Residual blocks per branch in each module. */
  readonly blocks: number;
  /** Width of each branch, highest resolution first (each branch halves the resolution). */
  readonly channels: readonly number[];
  readonly block?: BlockKind;
}

/**
 * HRNet architecture (Sun et al. 2019, "Deep High-Resolution Representation Learning for Human Pose
 * Estimation", §3): stem of two stride-2 3×3 convs (→ 1/4), a bottleneck stage at 1/4, then stages that
 * add a branch at half the lowest resolution and repeat exchange units that fuse all branches.
 */
export interface HRNetConfig {
  readonly kind: 'hrnet';
  readonly numJoints: number;
  readonly inputSize: Size;
  /** Width of the two stem convs (64 in HRNet). */
  readonly stemChannels: number;
  /** Stage 1: bottleneck blocks of this width (output 4× wider). HRNet: 4 blocks of 64. */
  readonly stage1: { readonly blocks: number; readonly width: number };
  /** Stages 2, 3, 4, … each adding one branch. */
  readonly stages: readonly HRNetStageConfig[];
}

/**
 * HRNet-W{width}: branch widths (w, 2w, 4w, 8w), stages with 1, 4, 3 modules of 4 basic blocks —
 * W32 at 256×192 with 17 joints has ≈ 28.5 M parameters (Sun et al. 2019, Table 1).
 */
export function hrnetW(width: number, numJoints: number, inputSize: Size): HRNetConfig {
  const channels = [width, 2 * width, 4 * width, 8 * width];
  return {
    kind: 'hrnet',
    numJoints,
    inputSize,
    stemChannels: 64,
    stage1: { blocks: 4, width: 64 },
    stages: [
      { modules: 1, blocks: 4, channels: channels.slice(0, 2) },
      { modules: 4, blocks: 4, channels: channels.slice(0, 3) },
      { modules: 3, blocks: 4, channels: channels.slice(0, 4) },
    ],
  };
}

/**
 * A small member of the family for CPU runs: widths (8, 16, 32, 64), one module of one basic block per
 * stage, a 16-wide stem and one bottleneck of width 16 (e.g. 64×64 input → 16×16 heatmaps).
 */
export function hrnetSmall(numJoints: number, inputSize: Size = { width: 64, height: 64 }): HRNetConfig {
  return {
    kind: 'hrnet',
    numJoints,
    inputSize,
    stemChannels: 16,
    stage1: { blocks: 1, width: 16 },
    stages: [
      { modules: 1, blocks: 1, channels: [8, 16] },
      { modules: 1, blocks: 1, channels: [8, 16, 32] },
      { modules: 1, blocks: 1, channels: [8, 16, 32, 64] },
    ],
  };
}

/** Upsamples ×2^k by nearest neighbour (HRNet's fuse layers use nn.Upsample(mode='nearest')). */
function upsampleNearest(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  if (factor === 1) return x;
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [h * factor, w * factor]);
}

/** A stack of residual blocks. */
class Branch {
  private readonly blocks: ResidualBlock[] = [];
  constructor(registry: ParameterRegistry, name: string, kind: BlockKind, channels: number, count: number) {
    for (let b = 0; b < count; b++) this.blocks.push(residualBlock(registry, `${name}/block${b}`, kind, channels, channels));
  }
  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return this.blocks.reduce((y, block) => block.apply(y, mode), x);
  }
}

/**
 * One exchange unit (HRNet's HighResolutionModule): every branch runs its residual blocks, then each
 * output i sums all branches j brought to its resolution — j > i: 1×1 conv + BN then nearest ×2^(j−i);
 * j < i: (i − j) stride-2 3×3 convs + BN (ReLU between) — followed by ReLU.
 */
class ExchangeUnit {
  private readonly branches: Branch[];
  /** fuse[i][j] maps branch j to output i (undefined for i = j). */
  private readonly fuse: (((x: tf.Tensor4D, mode: ForwardMode) => tf.Tensor4D) | undefined)[][] = [];

  constructor(registry: ParameterRegistry, name: string, stage: HRNetStageConfig, multiScaleOutput: boolean) {
    const { channels } = stage;
    const kind = stage.block ?? 'basic';
    this.branches = channels.map((c, b) => new Branch(registry, `${name}/branch${b}`, kind, c, stage.blocks));
    const outputs = multiScaleOutput ? channels.length : 1;
    for (let i = 0; i < outputs; i++) {
      const row: (((x: tf.Tensor4D, mode: ForwardMode) => tf.Tensor4D) | undefined)[] = [];
      for (let j = 0; j < channels.length; j++) {
        const fuseName = `${name}/fuse${i}_${j}`;
        if (j === i) {
          row.push(undefined);
        } else if (j > i) {
          const conv = new ConvBn(registry, fuseName, { inChannels: channels[j], outChannels: channels[i], kernelSize: 1 }, false);
          const factor = 2 ** (j - i);
          row.push((x, mode) => upsampleNearest(conv.apply(x, mode), factor));
        } else {
          const downs: ConvBn[] = [];
          for (let step = 0; step < i - j; step++) {
            const last = step === i - j - 1;
            downs.push(
              new ConvBn(
                registry,
                `${fuseName}/down${step}`,
                { inChannels: channels[j], outChannels: last ? channels[i] : channels[j], kernelSize: 3, stride: 2 },
                !last,
              ),
            );
          }
          row.push((x, mode) => downs.reduce((y, down) => down.apply(y, mode), x));
        }
      }
      this.fuse.push(row);
    }
  }

  apply(inputs: tf.Tensor4D[], mode: ForwardMode): tf.Tensor4D[] {
    const branchOutputs = inputs.map((x, b) => this.branches[b].apply(x, mode));
    return this.fuse.map((row) => {
      const terms = row.map((map, j) => (map ? map(branchOutputs[j], mode) : branchOutputs[j]));
      return tf.relu(tf.addN(terms));
    });
  }
}

/**
 * HRNet for heatmap pose estimation (Sun et al. 2019): the highest-resolution branch (1/4 of the input)
 * of the last stage goes through a 1×1 conv to K heatmaps. NHWC throughout.
 */
export class HRNet implements PoseModel {
  readonly inputSize: Size;
  readonly heatmapSize: Size;
  readonly numJoints: number;
  private readonly registry: ParameterRegistry;
  private readonly stem: ConvBn[];
  private readonly stage1: ResidualBlock[] = [];
  /** transitions[s][b]: makes branch b of stage s from the previous stage's outputs (undefined = identity). */
  private readonly transitions: (((branches: tf.Tensor4D[], mode: ForwardMode) => tf.Tensor4D) | undefined)[][] = [];
  private readonly stages: ExchangeUnit[][] = [];
  private readonly head: HeatmapHead;

  constructor(
    readonly config: HRNetConfig,
    rng: Rng,
    registry: ParameterRegistry = new ParameterRegistry(rng),
  ) {
    const { inputSize, numJoints, stemChannels } = config;
    if (inputSize.width % 4 !== 0 || inputSize.height % 4 !== 0) {
      throw new RangeError(`HRNet: input size must be divisible by 4, found ${inputSize.width}×${inputSize.height}`);
    }
    const deepest = 2 ** (config.stages.length + 2);
    if (inputSize.width % deepest !== 0 || inputSize.height % deepest !== 0) {
      throw new RangeError(
        `HRNet: ${config.stages.length} stages halve the resolution down to 1/${deepest}; input ${inputSize.width}×${inputSize.height} must be divisible by ${deepest}`,
      );
    }
    this.inputSize = inputSize;
    this.heatmapSize = { width: inputSize.width / 4, height: inputSize.height / 4 };
    this.numJoints = numJoints;
    this.registry = registry;

    this.stem = [
      new ConvBn(registry, 'stem/conv1', { inChannels: 3, outChannels: stemChannels, kernelSize: 3, stride: 2 }, true),
      new ConvBn(registry, 'stem/conv2', { inChannels: stemChannels, outChannels: stemChannels, kernelSize: 3, stride: 2 }, true),
    ];
    let channels = stemChannels;
    for (let b = 0; b < config.stage1.blocks; b++) {
      const block = residualBlock(registry, `stage1/block${b}`, 'bottleneck', channels, config.stage1.width);
      this.stage1.push(block);
      channels = block.outChannels;
    }

    let previous = [channels];
    config.stages.forEach((stage, s) => {
      const stageName = `stage${s + 2}`;
      if (stage.channels.length !== previous.length + 1) {
        throw new RangeError(`HRNet ${stageName}: expected ${previous.length + 1} branch widths, found ${stage.channels.length}`);
      }
      this.transitions.push(this.makeTransition(`${stageName}/transition`, previous, stage.channels));
      const units: ExchangeUnit[] = [];
      const lastStage = s === config.stages.length - 1;
      for (let m = 0; m < stage.modules; m++) {
        // Only the last unit of the last stage collapses to the highest-resolution output (HRNet pose).
        const multiScale = !(lastStage && m === stage.modules - 1);
        units.push(new ExchangeUnit(registry, `${stageName}/module${m}`, stage, multiScale));
      }
      this.stages.push(units);
      previous = [...stage.channels];
    });
    this.head = new HeatmapHead(registry, 'head', previous[0], numJoints);
  }

  /**
   * HRNet's transition layers: a branch whose width changed gets a 3×3 conv + BN + ReLU, the new branch a
   * stride-2 3×3 conv + BN + ReLU from the lowest-resolution branch.
   */
  private makeTransition(name: string, previous: readonly number[], next: readonly number[]) {
    return next.map((channels, b) => {
      if (b < previous.length) {
        if (previous[b] === channels) return undefined;
        const conv = new ConvBn(this.registry, `${name}${b}`, { inChannels: previous[b], outChannels: channels, kernelSize: 3 }, true);
        return (branches: tf.Tensor4D[], mode: ForwardMode) => conv.apply(branches[b], mode);
      }
      const last = previous.length - 1;
      const conv = new ConvBn(
        this.registry,
        `${name}${b}`,
        { inChannels: previous[last], outChannels: channels, kernelSize: 3, stride: 2 },
        true,
      );
      return (branches: tf.Tensor4D[], mode: ForwardMode) => conv.apply(branches[last], mode);
    });
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
    let x = this.stem.reduce((y, layer) => layer.apply(y, mode), images);
    x = this.stage1.reduce((y, block) => block.apply(y, mode), x);
    let branches = [x];
    this.stages.forEach((units, s) => {
      branches = this.transitions[s].map((transition, b) => (transition ? transition(branches, mode) : branches[b]));
      for (const unit of units) branches = unit.apply(branches, mode);
    });
    return this.head.apply(branches[0]);
  }

  dispose(): void {
    this.registry.dispose();
  }
}
