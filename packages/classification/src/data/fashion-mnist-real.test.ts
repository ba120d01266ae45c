/**
 * Integration test on the real Fashion-MNIST, installed by the Debian package
 * `dataset-fashion-mnist` (the CI installs it). Fails, does not skip, when it is absent.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'fs';
import { Rng } from '@ausam/core';
import { disposeClassificationBatch } from './classification-batch';
import { FASHION_MNIST_DEFAULT_DIR, loadFashionMnist } from './idx';
import { channelStatistics } from './image-dataset';
import { FASHION_MNIST_NORMALIZATION } from './statistics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('loads the real Fashion-MNIST: 60000 train and 10000 test images of 28×28×1, labels 0..9', async () => {
  if (!existsSync(FASHION_MNIST_DEFAULT_DIR)) {
    throw new Error(
      `Fashion-MNIST not found at ${FASHION_MNIST_DEFAULT_DIR}: install it with \`apt-get install dataset-fashion-mnist\``,
    );
  }
  const { train, test } = await loadFashionMnist();
  expect([train.size, test.size]).toEqual([60000, 10000]);
  for (const ds of [train, test]) {
    expect([ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([28, 28, 1, 10]);
  }
  // Fashion-MNIST is balanced.
  expect(Array.from(train.classCounts())).toEqual(new Array(10).fill(6000));
  expect(Array.from(test.classCounts())).toEqual(new Array(10).fill(1000));
  // The published normalization constants are the train split's statistics.
  const stats = channelStatistics(train.pixels, 1);
  expect(stats.mean[0]).toBeCloseTo(FASHION_MNIST_NORMALIZATION.mean[0], 3);
  expect(stats.std[0]).toBeCloseTo(FASHION_MNIST_NORMALIZATION.std[0], 3);

  const ids = Int32Array.from([0, 59999, 12345]);
  for await (const batch of train.batches(ids, 3, new Rng(1))) {
    expect(batch.images.shape).toEqual([3, 28, 28, 1]);
    expect(Array.from(batch.labels.dataSync())).toEqual(Array.from(ids, (id) => train.labels[id]));
    expect(tf.tidy(() => tf.all(tf.isFinite(batch.images)).dataSync()[0])).toBe(1);
    disposeClassificationBatch(batch);
  }
});
