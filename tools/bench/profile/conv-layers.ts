import * as tf from '@tensorflow/tfjs-core';

export type Shape4 = [number, number, number, number];

/** One conv layer at batch 128: input shape, filter shape, stride ('same' padding). */
export interface ConvLayer {
  readonly model: 'resnet-small' | 'resnet20';
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly stride: number;
}

/** The 3×3 layer shapes of resnet-small (28×28×1) and CIFAR ResNet-20 (32×32×3) at batch 128. */
export const CONV_3X3_LAYERS: readonly ConvLayer[] = [
  { model: 'resnet-small', x: [128, 28, 28, 1], filter: [3, 3, 1, 16], stride: 1 },
  { model: 'resnet-small', x: [128, 28, 28, 16], filter: [3, 3, 16, 16], stride: 2 },
  { model: 'resnet-small', x: [128, 14, 14, 16], filter: [3, 3, 16, 16], stride: 1 },
  { model: 'resnet-small', x: [128, 14, 14, 16], filter: [3, 3, 16, 32], stride: 2 },
  { model: 'resnet-small', x: [128, 7, 7, 32], filter: [3, 3, 32, 32], stride: 1 },
  { model: 'resnet-small', x: [128, 7, 7, 32], filter: [3, 3, 32, 64], stride: 2 },
  { model: 'resnet-small', x: [128, 4, 4, 64], filter: [3, 3, 64, 64], stride: 1 },
  { model: 'resnet20', x: [128, 32, 32, 3], filter: [3, 3, 3, 16], stride: 1 },
  { model: 'resnet20', x: [128, 32, 32, 16], filter: [3, 3, 16, 16], stride: 1 },
  { model: 'resnet20', x: [128, 32, 32, 16], filter: [3, 3, 16, 32], stride: 2 },
  { model: 'resnet20', x: [128, 16, 16, 32], filter: [3, 3, 32, 32], stride: 1 },
  { model: 'resnet20', x: [128, 16, 16, 32], filter: [3, 3, 32, 64], stride: 2 },
  { model: 'resnet20', x: [128, 8, 8, 64], filter: [3, 3, 64, 64], stride: 1 },
];

/** The 1×1 stride-2 projection shortcuts of resnet-small and CIFAR ResNet-20 at batch 128. */
export const SHORTCUT_LAYERS: readonly ConvLayer[] = [
  { model: 'resnet-small', x: [128, 28, 28, 16], filter: [1, 1, 16, 16], stride: 2 },
  { model: 'resnet-small', x: [128, 14, 14, 16], filter: [1, 1, 16, 32], stride: 2 },
  { model: 'resnet-small', x: [128, 7, 7, 32], filter: [1, 1, 32, 64], stride: 2 },
  { model: 'resnet20', x: [128, 32, 32, 16], filter: [1, 1, 16, 32], stride: 2 },
  { model: 'resnet20', x: [128, 16, 16, 32], filter: [1, 1, 32, 64], stride: 2 },
];

/**
 * Process CPU ms per call of `work`: the mean of 8 calls after 2 warm-ups, each result disposed.
 * Results are not read back: wasm kernels run synchronously, and `dataSync`'s copy of a large
 * output (page faults on a fresh buffer) costs milliseconds of noise that is not the kernel's.
 */
export function cpuMsPerCall(work: () => tf.Tensor): number {
  for (let i = 0; i < 2; i++) work().dispose();
  const start = process.cpuUsage();
  const calls = 8;
  for (let i = 0; i < calls; i++) {
    work().dispose();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / calls;
}
