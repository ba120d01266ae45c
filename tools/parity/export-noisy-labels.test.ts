import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exportNoisyLabels } from './export-noisy-labels';

const FASHION_MNIST_FIXTURE = path.join(__dirname, '..', '..', 'test-fixtures', 'fashion-mnist');

describe('exportNoisyLabels', () => {
  it("writes the label-noise suite's training labels for PyTorch, and reuses the file for the same setting", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noisy-labels-'));
    const file = path.join(dir, 'labels.json');
    const clean = await exportNoisyLabels(path.join(dir, 'clean.json'), 0, 10, FASHION_MNIST_FIXTURE);
    const noisy = await exportNoisyLabels(file, 0.4, 10, FASHION_MNIST_FIXTURE);
    expect(noisy).toMatchObject({ rate: 0.4, seed: 1, trainLimit: 10 });
    expect(noisy.noisyIds).toHaveLength(4);
    expect(clean.noisyIds).toHaveLength(0);
    noisy.labels.forEach((y, i) => (noisy.noisyIds.includes(i) ? expect(y).not.toBe(clean.labels[i]) : expect(y).toBe(clean.labels[i])));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(noisy);
    fs.writeFileSync(file, JSON.stringify({ ...noisy, labels: [] }));
    expect((await exportNoisyLabels(file, 0.4, 10, FASHION_MNIST_FIXTURE)).labels).toEqual([]); // same setting: the file is reused
    expect((await exportNoisyLabels(file, 0.2, 10, FASHION_MNIST_FIXTURE)).noisyIds).toHaveLength(2); // another: rewritten
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
