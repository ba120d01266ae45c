import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, Dense } from '@ausam/core';
import type { Conv2d, ConvInit, ForwardMode, ParameterRegistry } from '@ausam/core';
import { RegistryModel, type AuthorsInit, type ModelOptions } from './classifier-model';
import { conv1x1, conv3x3, globalAveragePool, padChannels } from './layers';

/** A PyramidNet residual unit: its residual branch, added to a zero-padded (and pooled) shortcut. */
interface PyramidUnit {
  readonly stride: number;
  readonly outChannels: number;
  residual(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D;
}

/** Basic pyramidal unit (Han et al. 2017, Fig. 6(d)): BN–conv3×3–BN–ReLU–conv3×3–BN. */
class BasicUnit implements PyramidUnit {
  private readonly bn1: BatchNorm;
  private readonly conv1: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn3: BatchNorm;

  constructor(
    registry: ParameterRegistry,
    name: string,
    inChannels: number,
    planes: number,
    readonly stride: number,
    init: ConvInit,
  ) {
    this.bn1 = new BatchNorm(registry, `${name}/bn1`, inChannels);
    this.conv1 = conv3x3(registry, `${name}/conv1`, inChannels, planes, stride, init);
    this.bn2 = new BatchNorm(registry, `${name}/bn2`, planes);
    this.conv2 = conv3x3(registry, `${name}/conv2`, planes, planes, 1, init);
    this.bn3 = new BatchNorm(registry, `${name}/bn3`, planes);
  }

  get outChannels(): number {
    return this.bn3.gamma.shape[0];
  }

  residual(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const h = tf.relu(this.bn2.apply(this.conv1.apply(this.bn1.apply(x, mode)), mode));
    return this.bn3.apply(this.conv2.apply(h), mode);
  }
}

/**
 * Bottleneck pyramidal unit (Han et al. 2017, §3.2): BN–conv1×1–BN–ReLU–conv3×3–BN–ReLU–conv1×1(×4)–BN.
 */
class BottleneckUnit implements PyramidUnit {
  static readonly expansion = 4;
  private readonly bn1: BatchNorm;
  private readonly conv1: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn3: BatchNorm;
  private readonly conv3: Conv2d;
  private readonly bn4: BatchNorm;

  constructor(
    registry: ParameterRegistry,
    name: string,
    inChannels: number,
    planes: number,
    readonly stride: number,
    init: ConvInit,
  ) {
    const out = planes * BottleneckUnit.expansion;
    this.bn1 = new BatchNorm(registry, `${name}/bn1`, inChannels);
    this.conv1 = conv1x1(registry, `${name}/conv1`, inChannels, planes, 1, init);
    this.bn2 = new BatchNorm(registry, `${name}/bn2`, planes);
    this.conv2 = conv3x3(registry, `${name}/conv2`, planes, planes, stride, init);
    this.bn3 = new BatchNorm(registry, `${name}/bn3`, planes);
    this.conv3 = conv1x1(registry, `${name}/conv3`, planes, out, 1, init);
    this.bn4 = new BatchNorm(registry, `${name}/bn4`, out);
  }

  get outChannels(): number {
    return this.bn4.gamma.shape[0];
  }

  residual(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    let h = tf.relu(this.bn2.apply(this.conv1.apply(this.bn1.apply(x, mode)), mode));
    h = tf.relu(this.bn3.apply(this.conv2.apply(h), mode));
    return this.bn4.apply(this.conv3.apply(h), mode);
  }
}

/**
 * ajiaaa/AUSAM's `model/PyramidNet.py` (dyhan0920/PyramidNet-PyTorch's): every conv
 * N(0, 2/(k²·out_channels)), BatchNorm γ = 1, β = 0, the linear layer left at PyTorch's default.
 */
const PYRAMIDNET_AUTHORS_INIT: AuthorsInit = {
  conv: 'he-normal-fan-out',
  head: 'pytorch',
  source: 'ajiaaa/AUSAM model/PyramidNet.py: normal_(0, sqrt(2 / (k·k·out_channels)))',
};

/** Shape of a {@link PyramidNet}. */
export interface PyramidNetConfig {
  /** Total depth: 6n+2 for basic units, 9n+2 for bottleneck units (n units per stage). */
  readonly depth: number;
  /** Total widening α: the last unit has 16 + α channels (×4 with bottlenecks). */
  readonly alpha: number;
  readonly bottleneck: boolean;
}

/**
 * PyramidNet with additive widening (Han, Kim & Kim 2017, "Deep Pyramidal Residual Networks",
 * CVPR). The width grows by α/(3n) at every unit, from 16 after the 3×3 stem to 16 + α, rounded
 * per unit like the authors' code (dyhan0920/PyramidNet-PyTorch, Python's round-half-even).
 * Shortcuts are parameter-free: 2×2 average pooling when downsampling, then zero-padded channels.
 * Basic units by default (`pyramidnet-110-48`); the SAM paper's PyramidNet-272 (α = 200) uses
 * bottleneck units (`pyramidnet-272-200-bottleneck`). ShakeDrop regularisation is not included.
 */
export class PyramidNet extends RegistryModel {
  readonly description: string;
  private readonly stem: Conv2d;
  private readonly stemBn: BatchNorm;
  private readonly units: PyramidUnit[] = [];
  private readonly finalBn: BatchNorm;
  private readonly head: Dense;

  constructor(options: ModelOptions, config: PyramidNetConfig) {
    super(options, `PyramidNet-${config.depth}`, PYRAMIDNET_AUTHORS_INIT);
    const { depth, alpha, bottleneck } = config;
    const perUnit = bottleneck ? 9 : 6;
    if (!Number.isInteger(depth) || depth < perUnit + 2 || (depth - 2) % perUnit !== 0) {
      throw new RangeError(
        `PyramidNet: depth must be ${perUnit}n+2 with n >= 1 for ${bottleneck ? 'bottleneck' : 'basic'} units, found ${depth}`,
      );
    }
    if (!Number.isFinite(alpha) || alpha < 0) throw new RangeError(`PyramidNet: alpha must be >= 0, found ${alpha}`);
    this.description =
      `PyramidNet-${depth} (alpha ${alpha}, ${bottleneck ? 'bottleneck' : 'basic'} units; ` +
      'Han et al. 2017, additive widening, zero-padded shortcuts, no ShakeDrop)';
    const n = (depth - 2) / perUnit;
    const addRate = alpha / (3 * n);
    const expansion = bottleneck ? BottleneckUnit.expansion : 1;
    const r = this.registry;
    this.stem = conv3x3(r, 'stem/conv', options.inputChannels, 16, 1, this.init);
    this.stemBn = new BatchNorm(r, 'stem/bn', 16);
    let width = 16;
    let channels = 16;
    for (let s = 0; s < 3; s++) {
      for (let u = 0; u < n; u++) {
        width += addRate;
        const planes = roundHalfEven(width);
        const stride = u === 0 && s > 0 ? 2 : 1;
        const name = `stage${s + 1}/unit${u}`;
        this.units.push(
          bottleneck
            ? new BottleneckUnit(r, name, channels, planes, stride, this.init)
            : new BasicUnit(r, name, channels, planes, stride, this.init),
        );
        channels = planes * expansion;
      }
    }
    this.finalBn = new BatchNorm(r, 'final/bn', channels);
    this.head = new Dense(r, 'head', channels, options.numClasses, this.headInit);
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    let x = this.stemBn.apply(this.stem.apply(images), mode);
    for (const unit of this.units) {
      const residual = unit.residual(x, mode);
      const pooled = unit.stride === 1 ? x : tf.avgPool(x, 2, 2, 'same');
      x = tf.add(residual, padChannels(pooled, unit.outChannels));
    }
    x = tf.relu(this.finalBn.apply(x, mode));
    return this.head.apply(globalAveragePool(x));
  }
}

/** Python 3's round(): halves go to the even neighbour (the reference code's channel rounding). */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
