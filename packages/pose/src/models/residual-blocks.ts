import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode } from '@ausam/core';
import type { ParameterRegistry } from '@ausam/core';
import { ConvBn } from './layers';

/** A residual unit: y = ReLU(F(x) + shortcut(x)) (He et al. 2016). */
export interface ResidualBlock {
  readonly outChannels: number;
  apply(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D;
}

/** Which residual unit to stack. */
export type BlockKind = 'basic' | 'bottleneck';

/** Output channels over the block's width: 1 for basic, 4 for bottleneck. */
export function blockExpansion(kind: BlockKind): number {
  return kind === 'basic' ? 1 : 4;
}

/**
 * Builds one residual block; a 1×1 conv + BN projection shortcut is added when the stride or channel
 * count changes (ResNet option B).
 */
export function residualBlock(
  registry: ParameterRegistry,
  name: string,
  kind: BlockKind,
  inChannels: number,
  width: number,
  stride = 1,
): ResidualBlock {
  const outChannels = width * blockExpansion(kind);
  const shortcut =
    stride !== 1 || inChannels !== outChannels
      ? new ConvBn(registry, `${name}/downsample`, { inChannels, outChannels, kernelSize: 1, stride }, false)
      : undefined;
  const layers =
    kind === 'basic'
      ? [
          new ConvBn(registry, `${name}/conv1`, { inChannels, outChannels: width, kernelSize: 3, stride }, true),
          new ConvBn(registry, `${name}/conv2`, { inChannels: width, outChannels, kernelSize: 3 }, false),
        ]
      : [
          new ConvBn(registry, `${name}/conv1`, { inChannels, outChannels: width, kernelSize: 1 }, true),
          new ConvBn(registry, `${name}/conv2`, { inChannels: width, outChannels: width, kernelSize: 3, stride }, true),
          new ConvBn(registry, `${name}/conv3`, { inChannels: width, outChannels, kernelSize: 1 }, false),
        ];
  return {
    outChannels,
    apply(x, mode) {
      let y = x;
      for (const layer of layers) y = layer.apply(y, mode);
      const identity = shortcut ? shortcut.apply(x, mode) : x;
      return tf.relu(tf.add(y, identity) as tf.Tensor4D);
    },
  };
}
