import * as tf from '@tensorflow/tfjs-core';
import type { ParameterRegistry } from '@ausam/core';
import type { Size } from '../transforms/affine';

/** SimCC's two classifier outputs, logits over the bins of each axis (a type literal, so `tf.tidy` can return it). */
export type SimccOutput = {
  /** [N, K, W·k] horizontal logits. */
  readonly x: tf.Tensor3D;
  /** [N, K, H·k] vertical logits. */
  readonly y: tf.Tensor3D;
};

/**
 * SimCC's coordinate classifiers (Li et al. 2022, §3; `mlp_head_x/y` in the authors' HRNet, mmpose's
 * `SimCCHead` without deconvolutions): each joint's K-channel feature map of h×w is flattened row by row
 * (PyTorch's `b c h w → b c (h w)`) and mapped by two linear layers, shared by all joints, to W·k and H·k
 * logits. Weights ~ N(0, 0.01²), zero bias (mmpose's `SimCCHead` initialisation).
 */
export class SimccHead {
  private readonly xKernel: tf.Variable;
  private readonly xBias: tf.Variable;
  private readonly yKernel: tf.Variable;
  private readonly yBias: tf.Variable;
  private readonly features: number;

  constructor(
    registry: ParameterRegistry,
    name: string,
    readonly featureSize: Size,
    readonly bins: { readonly x: number; readonly y: number },
  ) {
    this.features = featureSize.width * featureSize.height;
    this.xKernel = registry.weight(`${name}/x/kernel`, [this.features, bins.x], { kind: 'normal', std: 0.01 });
    this.xBias = registry.weight(`${name}/x/bias`, [bins.x], { kind: 'zeros' });
    this.yKernel = registry.weight(`${name}/y/kernel`, [this.features, bins.y], { kind: 'normal', std: 0.01 });
    this.yBias = registry.weight(`${name}/y/bias`, [bins.y], { kind: 'zeros' });
  }

  /** @param maps [N, h, w, K] per-joint feature maps (NHWC). */
  apply(maps: tf.Tensor4D): SimccOutput {
    const [n, h, w, k] = maps.shape;
    if (h !== this.featureSize.height || w !== this.featureSize.width) {
      throw new RangeError(`SimccHead: expected ${this.featureSize.height}×${this.featureSize.width} feature maps, found ${h}×${w}`);
    }
    const flat = tf.reshape(tf.transpose(maps, [0, 3, 1, 2]), [n * k, this.features]) as tf.Tensor2D;
    const classify = (kernel: tf.Variable, bias: tf.Variable, bins: number) =>
      tf.reshape(tf.add(tf.matMul(flat, kernel as tf.Tensor2D), bias), [n, k, bins]) as tf.Tensor3D;
    return { x: classify(this.xKernel, this.xBias, this.bins.x), y: classify(this.yKernel, this.yBias, this.bins.y) };
  }
}
