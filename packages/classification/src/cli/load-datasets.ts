import { NO_AUGMENTATION, loadCifar10, loadCifar100, loadFashionMnist, loadMnist, loadTinyImageNet, type InMemoryImageDataset } from '../data';
import type { ClassificationRunConfig } from './run-config';

export interface LoadedDatasets {
  train: InMemoryImageDataset;
  test: InMemoryImageDataset;
}

/** Loads the configured dataset's train and test splits, cut to the configured limits. */
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
  if (config.augmentation === 'none') loaded = { ...loaded, train: loaded.train.with({ augmentation: NO_AUGMENTATION }) };
  else if (typeof config.augmentation === 'object') loaded = { ...loaded, train: loaded.train.with({ augmentation: config.augmentation }) };
  return {
    train: config.trainLimit ? loaded.train.subset(Math.min(config.trainLimit, loaded.train.size)) : loaded.train,
    test: config.testLimit ? loaded.test.subset(Math.min(config.testLimit, loaded.test.size)) : loaded.test,
  };
}
