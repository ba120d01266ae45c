import {
  NO_AUGMENTATION,
  loadCifar10,
  loadCifar100,
  loadFashionMnist,
  loadMnist,
  loadTinyImageNet,
  symmetricLabelNoise,
  validateNormalization,
  type InMemoryImageDataset,
  type NoisyLabels,
} from '../data';
import type { ClassificationRunConfig } from './run-config';

export interface LoadedDatasets {
  train: InMemoryImageDataset;
  test: InMemoryImageDataset;
  /** With `labelNoise`: the training split's noisy labels and which samples they are. */
  labelNoise?: NoisyLabels;
}

/**
 * Loads the configured dataset's train and test splits, cut to the configured limits; with
 * `labelNoise`, the (cut) training split's labels are made noisy, the test split is left as is.
 */
export async function loadDatasets(config: ClassificationRunConfig['dataset']): Promise<LoadedDatasets> {
  let loaded: LoadedDatasets;
  switch (config.kind) {
    case 'fashion-mnist':
      loaded = await loadFashionMnist(config.path);
      break;
    case 'mnist':
      loaded = await loadMnist(config.path);
      break;
    case 'cifar10':
      loaded = await loadCifar10(config.path);
      break;
    case 'cifar100':
      loaded = await loadCifar100(config.path, { label: config.label ?? 'fine' });
      break;
    case 'tiny-imagenet':
      loaded = await loadTinyImageNet(config.path);
      break;
  }
  if (config.normalization) {
    const { normalization } = config;
    validateNormalization(normalization, loaded.train.channels);
    loaded = { train: loaded.train.with({ normalization }), test: loaded.test.with({ normalization }) };
  }
  if (config.augmentation === 'none') loaded = { ...loaded, train: loaded.train.with({ augmentation: NO_AUGMENTATION }) };
  else if (typeof config.augmentation === 'object') loaded = { ...loaded, train: loaded.train.with({ augmentation: config.augmentation }) };
  const train = config.trainLimit ? loaded.train.subset(Math.min(config.trainLimit, loaded.train.size)) : loaded.train;
  const test = config.testLimit ? loaded.test.subset(Math.min(config.testLimit, loaded.test.size)) : loaded.test;
  if (!config.labelNoise) return { train, test };
  const labelNoise = symmetricLabelNoise(train.labels, train.numClasses, config.labelNoise);
  return { train: train.withLabels(labelNoise.labels), test, labelNoise };
}
