import * as fs from 'fs';
import * as path from 'path';
import { loadDatasets } from '../../packages/classification/src/cli/load-datasets';
import { LABEL_NOISE_SEED } from '../bench/suites/label-noise';

/** The training labels of the label-noise suite, as `reference/recipe.py --labels` reads them. */
export interface NoisyLabelFile {
  rate: number;
  seed: number;
  trainLimit: number;
  /** The first `trainLimit` training labels after the noise. */
  labels: number[];
  /** Which of them were replaced, ascending. */
  noisyIds: number[];
}

/**
 * Writes the label-noise suite's training labels (the first `trainLimit` Fashion-MNIST training
 * images, `rate` symmetric noise with the suite's noise seed) to `file`, so PyTorch trains on exactly
 * the same noisy samples and classes as ours; reuses `file` when it already holds that setting.
 */
export async function exportNoisyLabels(file: string, rate: number, trainLimit: number, datasetPath = '/usr/share/datasets/fashion-mnist'): Promise<NoisyLabelFile> {
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as NoisyLabelFile;
    if (saved.rate === rate && saved.seed === LABEL_NOISE_SEED && saved.trainLimit === trainLimit) return saved;
  }
  const { train, labelNoise } = await loadDatasets({
    kind: 'fashion-mnist',
    path: datasetPath,
    trainLimit,
    augmentation: 'none',
    labelNoise: rate > 0 ? { rate, seed: LABEL_NOISE_SEED } : undefined,
  });
  const record: NoisyLabelFile = {
    rate,
    seed: LABEL_NOISE_SEED,
    trainLimit: train.size,
    labels: Array.from(train.labels),
    noisyIds: Array.from(labelNoise?.noisyIds ?? []),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(record));
  return record;
}
