import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '@ausam/core';
import { FASHION_MNIST_DEFAULT_DIR } from '../data';
import { parseClassificationRun } from './run-config';
import { runClassificationTraining } from './train-command';

// Integration: AUSAM on real Fashion-MNIST (Debian's dataset-fashion-mnist, installed by `npm run setup`).
describe('AUSAM on real Fashion-MNIST', () => {
  beforeAll(async () => {
    if (!fs.existsSync(FASHION_MNIST_DEFAULT_DIR)) {
      throw new Error(`${FASHION_MNIST_DEFAULT_DIR} is missing: run 'npm run setup' (apt-get install dataset-fashion-mnist)`);
    }
    await selectBackend({ force: 'wasm', log: () => {} });
  });

  it('learns far above chance from 2048 images in 2 epochs', async () => {
    const config = parseClassificationRun(
      {
        name: 'fashion-mnist-integration',
        dataset: { kind: 'fashion-mnist', path: FASHION_MNIST_DEFAULT_DIR, trainLimit: 2048, testLimit: 1000, augmentation: 'none' },
        model: { name: 'resnet-small' },
        method: { method: 'ausam', rho: 0.05, ratio: 0.5 },
        learningRate: { kind: 'cosine', lr: 0.1 },
        epochs: 2,
        batchSize: 64,
        seed: 1,
        outputDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-fmnist-')),
      },
      'inline',
    );
    const summary = await runClassificationTraining(config, { progress: false, log: () => {} });
    // Chance is 10%; this seed measured 70.6% here. The margin absorbs float differences between machines.
    expect(summary.final.test.accuracy).toBeGreaterThan(0.6);
    expect(summary.history[1].trainLoss).toBeLessThan(summary.history[0].trainLoss);
    // epoch 1: the warm-up, SAM on all 2048; epoch 2: 64 of each batch of 128
    expect(summary.fractionOfSamWork).toBe(0.75);
  }, 300000);
});
