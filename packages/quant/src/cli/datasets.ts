import {
  FASHION_MNIST_DEFAULT_DIR,
  loadCifar10,
  loadCifar100,
  loadFashionMnist,
  loadMnist,
  loadTinyImageNet,
  type ImageDatasetSplits,
} from '@ausam/classification';

/** Datasets the CLI can load (through `@ausam/classification`'s loaders). */
export const DATASET_NAMES = ['cifar10', 'cifar100', 'fashion-mnist', 'mnist', 'tiny-imagenet'] as const;

/** Where a run's data comes from. */
export interface DatasetSpec {
  readonly name: (typeof DATASET_NAMES)[number];
  /** Folder of the dataset files; Fashion-MNIST defaults to classification's default folder. */
  readonly dir?: string;
  /** Train on the first `trainLimit` samples only (CPU-scale runs). */
  readonly trainLimit?: number;
  /** Evaluate on the first `testLimit` test samples only. */
  readonly testLimit?: number;
}

/** Loads the splits with each dataset's usual augmentation and normalization, then applies the limits. */
export async function loadDatasets(spec: DatasetSpec): Promise<ImageDatasetSplits> {
  const splits = await loadSplits(spec);
  const limit = (size: number, max?: number) => Math.min(size, max ?? size);
  return {
    train: splits.train.subset(limit(splits.train.size, spec.trainLimit)),
    test: splits.test.subset(limit(splits.test.size, spec.testLimit)),
  };
}

function loadSplits(spec: DatasetSpec): Promise<ImageDatasetSplits> {
  const dir = (what: string) => {
    if (spec.dir === undefined) throw new Error(`dataset.dir: the ${what} folder is required`);
    return spec.dir;
  };
  switch (spec.name) {
    case 'cifar10':
      return loadCifar10(dir('CIFAR-10 binary'));
    case 'cifar100':
      return loadCifar100(dir('CIFAR-100 binary'));
    case 'fashion-mnist':
      return loadFashionMnist(spec.dir ?? FASHION_MNIST_DEFAULT_DIR);
    case 'mnist':
      return loadMnist(dir('MNIST idx'));
    case 'tiny-imagenet':
      return loadTinyImageNet(dir('Tiny ImageNet'));
  }
}
