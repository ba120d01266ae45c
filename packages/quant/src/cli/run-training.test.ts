import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend, snapshotWeights, writeCheckpointFile } from '@ausam/core';
import { createModel } from '@ausam/classification';
import { runQuantizedTraining } from './run-training';
import { validateRunConfig } from './run-config';

/** An MNIST-style idx file: big-endian magic, dimensions, then bytes. */
function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function writeTinyMnist(dir: string): void {
  for (const [prefix, count] of [
    ['train', 16],
    ['t10k', 8],
  ] as const) {
    const pixels = Uint8Array.from({ length: count * 8 * 8 }, (_, i) => (i * 31 + count) % 256);
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`), idx(2051, [count, 8, 8], pixels));
    fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`), idx(2049, [count], labels));
  }
}

describe('runQuantizedTraining', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-quant-'));
  beforeAll(() => selectBackend({ force: 'wasm', log: () => {} }));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses data-parallel replicas, saying why', async () => {
    const config = validateRunConfig(
      {
        name: 'replicas',
        dataset: { name: 'mnist', dir: path.join(root, 'none') },
        model: 'resnet-small',
        quantization: { weightBits: 4, activationBits: 4 },
        method: { method: 'sam', rho: 0.05 },
        learningRate: { kind: 'constant', lr: 0.01 },
        epochs: 1,
        batchSize: 4,
        seed: 0,
        replicas: 2,
      },
      'inline',
    );
    await expect(runQuantizedTraining(config, { log: () => {} })).rejects.toThrow(
      'replicas: expected 1 for quantization-aware training, found 2 (data-parallel replicas are not supported by ausam-quant)',
    );
  });

  it('trains a QAT model from a full-precision checkpoint and writes the size and level report', async () => {
    const dataDir = path.join(root, 'mnist');
    fs.mkdirSync(dataDir);
    writeTinyMnist(dataDir);
    const fullPrecision = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 5 });
    const checkpoint = path.join(root, 'fp.ausam');
    writeCheckpointFile(checkpoint, { weights: snapshotWeights(fullPrecision) });
    fullPrecision.dispose();
    const outputDir = path.join(root, 'run');
    const config = validateRunConfig(
      {
        name: 'tiny',
        dataset: { name: 'mnist', dir: dataDir },
        model: 'resnet-small',
        fullPrecisionCheckpoint: checkpoint,
        quantization: { weightBits: 2, activationBits: 4 },
        method: { method: 'sam', rho: 0.05 },
        learningRate: { kind: 'constant', lr: 0.01 },
        epochs: 1,
        batchSize: 8,
        seed: 0,
        outputDir,
        backend: 'wasm',
      },
      'tiny.json',
    );
    const lines: string[] = [];
    const result = await runQuantizedTraining(config, { progress: false, log: (line) => lines.push(line) });
    expect(lines.some((l) => l.includes('initialised from full-precision weights'))).toBe(true);
    expect(result.levels.ok).toBe(true);
    expect(result.size.quantizedParameters).toBeGreaterThan(70000);
    expect(Number.isFinite(result.summary.finalTrainLoss)).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(outputDir, 'quantization.json'), 'utf8'));
    expect(report.levels.ok).toBe(true);
    expect(report.size.bits).toBe(result.size.bits);
    const saved = JSON.parse(fs.readFileSync(path.join(outputDir, 'config.json'), 'utf8'));
    expect(saved.quantization).toEqual({ weightBits: 2, activationBits: 4 });
    expect(fs.existsSync(path.join(outputDir, 'summary.json'))).toBe(true);

    // The same command again must not destroy that run; --overwrite (overwrite: true) replaces it.
    await expect(runQuantizedTraining(config, { progress: false, log: () => {} })).rejects.toThrow(
      `${outputDir} already holds a run (checkpoint.ausam, metrics.jsonl, summary.json): continue it with --resume`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(outputDir, 'quantization.json'), 'utf8'))).toEqual(report);
    const again = await runQuantizedTraining({ ...config, epochs: 2 }, { overwrite: true, progress: false, log: () => {} });
    expect(again.summary.history).toHaveLength(2);
    expect(fs.readFileSync(path.join(outputDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
