import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '@ausam/core';
import { evaluateRun } from '../cli/eval-command';
import { main } from '../cli/main';
import { modelFileLoader, modelFileSaver } from './model-files';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');
const quiet = { out: () => {}, err: () => {} };

beforeAll(async () => {
  await selectBackend({ force: 'cpu', log: () => {} });
});

/** A user's Keras-style CNN for 28×28×1 images and 10 classes, softmax output. */
function usersCnn(): tfl.Sequential {
  const model = tfl.sequential({ name: 'users_cnn' });
  model.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.activation({ activation: 'relu' }));
  model.add(tfl.layers.globalAveragePooling2d({}));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

describe('TF.js model files', () => {
  it('save and load round-trip a LayersModel bit for bit (model.json + weights.bin)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-tfjs-'));
    const model = usersCnn();
    await model.save(modelFileSaver(folder));
    expect(fs.readdirSync(folder).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tfl.loadLayersModel(modelFileLoader(path.join(folder, 'model.json')));
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 4);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  it('names the missing file', async () => {
    await expect(tfl.loadLayersModel(modelFileLoader('/nonexistent/model.json'))).rejects.toThrow('/nonexistent/model.json: expected a TF.js model.json, found no such file');
  });

  it('ausam-classify train --model-file fine-tunes a saved LayersModel with AUSAM and writes it back; eval reads the run', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-model-file-'));
    const original = usersCnn();
    await original.save(modelFileSaver(path.join(work, 'users-model')));
    const config = path.join(work, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        name: 'model-file',
        dataset: { kind: 'fashion-mnist', path: path.join(FIXTURES, 'fashion-mnist') },
        model: { name: 'resnet-small' },
        method: { method: 'ausam', ratio: 0.5 },
        learningRate: { kind: 'constant', lr: 0.05 },
        epochs: 2,
        batchSize: 8,
        seed: 1,
      }),
    );
    const output = path.join(work, 'run');
    const args = ['train', '--config', config, '--model-file', path.join(work, 'users-model', 'model.json'), '--output', output, '--no-progress'];
    expect(await main(args, quiet)).toBe(0);
    const written = path.join(output, 'tfjs-model', 'model.json');
    expect(fs.existsSync(written)).toBe(true);
    const trained = await tfl.loadLayersModel(modelFileLoader(written));
    const before = original.getWeights().map((w) => Array.from(w.dataSync()));
    const after = trained.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after.map((w) => w.length)).toEqual(before.map((w) => w.length));
    // trained: the kernels moved; the BatchNorm moving mean (index 3) moved from its zeros
    expect(after[0]).not.toEqual(before[0]);
    expect(after[3].some((v) => v !== 0)).toBe(true);
    const metrics = await evaluateRun(output, () => {});
    const summary = JSON.parse(fs.readFileSync(path.join(output, 'summary.json'), 'utf8'));
    expect(metrics.accuracy).toBeCloseTo(summary.final.test.accuracy, 6);
  });
});
