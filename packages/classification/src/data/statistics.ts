import type { Normalization } from './augment';

/** CIFAR-10 train-set per-channel mean/std (RGB, [0, 1] scale). */
export const CIFAR10_NORMALIZATION: Normalization = Object.freeze({
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
});

/** CIFAR-100 train-set per-channel mean/std (RGB, [0, 1] scale). */
export const CIFAR100_NORMALIZATION: Normalization = Object.freeze({
  mean: [0.5071, 0.4865, 0.4409],
  std: [0.2673, 0.2564, 0.2762],
});

/** Fashion-MNIST train-set mean/std ([0, 1] scale). */
export const FASHION_MNIST_NORMALIZATION: Normalization = Object.freeze({ mean: [0.286], std: [0.353] });

/** MNIST train-set mean/std ([0, 1] scale). */
export const MNIST_NORMALIZATION: Normalization = Object.freeze({ mean: [0.1307], std: [0.3081] });

/** Tiny ImageNet train-set per-channel mean/std (RGB, [0, 1] scale). */
export const TINY_IMAGENET_NORMALIZATION: Normalization = Object.freeze({
  mean: [0.4802, 0.4481, 0.3975],
  std: [0.277, 0.269, 0.282],
});
