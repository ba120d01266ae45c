import * as path from 'path';
import { loadCifar10 } from '../data';
import { loadDatasets } from './load-datasets';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');

describe('dataset.labelNoise in a run config', () => {
  it('makes the (limited) training split noisy and leaves the test split untouched', async () => {
    const dataset = { kind: 'cifar10' as const, path: path.join(FIXTURES, 'cifar-10-batches-bin'), trainLimit: 8 }; // of the fixture's 10
    const clean = await loadDatasets(dataset);
    const noisy = await loadDatasets({ ...dataset, labelNoise: { rate: 0.25, seed: 7 } });
    expect(clean.labelNoise).toBeUndefined();
    expect(noisy.labelNoise!.noisyIds).toHaveLength(2);
    expect(noisy.train.size).toBe(8);
    let changed = 0;
    for (let i = 0; i < 8; i++) if (noisy.train.labels[i] !== clean.train.labels[i]) changed++;
    expect(changed).toBe(2);
    expect(Array.from(noisy.train.pixels)).toEqual(Array.from(clean.train.pixels));
    expect(Array.from(noisy.test.labels)).toEqual(Array.from((await loadCifar10(dataset.path)).test.labels));
  });
});

describe('dataset.normalization in a run config', () => {
  it("replaces both splits' statistics (ajiaaa/AUSAM's CIFAR-100 values), and is checked against the channels", async () => {
    const normalization = { mean: [0.491372549, 0.482352941, 0.446666667], std: [0.247058824, 0.243529412, 0.261568627] };
    const dataset = { kind: 'cifar10' as const, path: path.join(FIXTURES, 'cifar-10-batches-bin') };
    const { train, test } = await loadDatasets({ ...dataset, normalization });
    expect(train.normalization).toEqual(normalization);
    expect(test.normalization).toEqual(normalization);
    await expect(loadDatasets({ ...dataset, normalization: { mean: [0.5], std: [0.25] } })).rejects.toThrow(/expected 3 means and stds, found 1 and 1/);
  });
});
