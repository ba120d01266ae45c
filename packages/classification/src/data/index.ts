export type { ClassificationBatch } from './classification-batch';
export { disposeClassificationBatch } from './classification-batch';
export { DatasetFormatError } from './errors';
export type { DatasetErrorKind } from './errors';
export {
  augmentAndNormalize,
  CIFAR10_AUGMENTATION,
  CIFAR100_AUGMENTATION,
  cropAndFlipAt,
  cropAt,
  cutoutAt,
  drawAugmentation,
  FASHION_MNIST_AUGMENTATION,
  flipWhere,
  hasAugmentation,
  NO_AUGMENTATION,
  normalize,
  randomCrop,
  randomCutout,
  randomHorizontalFlip,
  TINY_IMAGENET_AUGMENTATION,
  validateAugmentationConfig,
  validateNormalization,
} from './augment';
export type { AugmentationConfig, AugmentationDraws, Normalization } from './augment';
export { channelStatistics, InMemoryImageDataset } from './image-dataset';
export { symmetricLabelNoise } from './label-noise';
export type { LabelNoiseConfig, NoisyLabels } from './label-noise';
export type { ImageDatasetSplits, ImageLoadOptions, InMemoryImageDatasetInit } from './image-dataset';
export {
  CIFAR10_NORMALIZATION,
  CIFAR100_NORMALIZATION,
  FASHION_MNIST_NORMALIZATION,
  MNIST_NORMALIZATION,
  TINY_IMAGENET_NORMALIZATION,
} from './statistics';
export {
  CIFAR10_CLASS_NAMES,
  CIFAR100_COARSE_CLASS_NAMES,
  CIFAR100_FINE_CLASS_NAMES,
  FASHION_MNIST_CLASS_NAMES,
  MNIST_CLASS_NAMES,
} from './class-names';
export {
  CIFAR_IMAGE_BYTES,
  CIFAR_IMAGE_SIZE,
  CIFAR10_LAYOUT,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  cifar100Layout,
  loadCifar10,
  loadCifar100,
  parseCifarRecords,
  readCifarFiles,
} from './cifar';
export type { Cifar100LoadOptions, CifarRecordLayout, CifarRecords } from './cifar';
export {
  FASHION_MNIST_DEFAULT_DIR,
  findIdxFile,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  loadFashionMnist,
  loadIdxDataset,
  loadMnist,
  parseIdx,
  readIdxFile,
  readIdxSplit,
} from './idx';
export type { IdxArray, IdxLoadOptions, IdxSplit } from './idx';
export {
  decodeImage,
  loadTinyImageNet,
  TINY_IMAGENET_CACHE_VERSION,
  TINY_IMAGENET_IMAGE_SIZE,
} from './tiny-imagenet';
export type {
  TinyImageNetCacheStatus,
  TinyImageNetLoadOptions,
  TinyImageNetSplitName,
  TinyImageNetSplits,
} from './tiny-imagenet';
