import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { EVALUATION, selectBackend, snapshotWeights } from '@ausam/core';
import { main } from '../cli/main';
import { createModel } from '../models';
import { loadPyTorchWeightsFile } from '../weights';
import { modelFileLoader } from './model-files';
import { ExportNotSupportedError, resnetLayersModel } from './resnet-layers-model';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures');

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
});

/** A zoo model whose BatchNorm statistics and weights are not at their initial values. */
function trainedLooking(name: string, inputChannels: number, seed: number) {
  const model = createModel(name, { numClasses: 10, inputChannels, seed });
  tf.tidy(() => {
    for (const v of model.stateVariables) v.assign(tf.add(v, tf.randomUniform(v.shape, 0.1, 0.5, 'float32', seed++)));
    for (const v of model.trainableVariables) if (v.rank === 1) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', seed++)));
  });
  return model;
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('exports of zoo models', () => {
  it.each([
    ['resnet-small', 1, [28, 28]],
    ['resnet20', 3, [32, 32]],
  ] as const)('%s as a tf.LayersModel predicts our logits (1e-4)', (name, channels, [h, w]) => {
    const model = trainedLooking(name, channels, 5);
    const exported = resnetLayersModel(model, name);
    const x = tf.randomNormal([3, h, w, channels], 0, 1, 'float32', 9) as tf.Tensor4D;
    const ours = tf.tidy(() => model.forward(x, EVALUATION));
    const theirs = exported.predict(x) as tf.Tensor;
    expect(theirs.shape).toEqual([3, 10]);
    expect(maxDifference(ours, theirs)).toBeLessThan(1e-4);
    expect(tf.tidy(() => tf.max(tf.abs(ours)).dataSync()[0])).toBeGreaterThan(1e-2);
    model.dispose();
    exported.dispose();
  });

  it('refuses a model it has no layers graph for, pointing to safetensors', () => {
    const model = createModel('wrn-16-2', { numClasses: 10, inputChannels: 3, seed: 0 });
    expect(() => resnetLayersModel(model)).toThrow(ExportNotSupportedError);
    expect(() => resnetLayersModel(model)).toThrow(/expected a ResNet .* found WRN-16-2.*safetensors export covers every model/);
    model.dispose();
  });

  it('ausam-classify export round-trips a trained resnet-small run to tfjs and to safetensors', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-export-'));
    const config = path.join(work, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        name: 'export',
        dataset: { kind: 'fashion-mnist', path: path.join(FIXTURES, 'fashion-mnist') },
        model: { name: 'resnet-small' },
        method: { method: 'sam' },
        learningRate: { kind: 'constant', lr: 0.05 },
        epochs: 1,
        batchSize: 16,
        seed: 2,
      }),
    );
    const run = path.join(work, 'run');
    const io = { out: (line: string) => void printed.push(line), err: () => {} };
    const printed: string[] = [];
    expect(await main(['train', '--config', config, '--output', run, '--no-progress', '--train-limit', '32', '--test-limit', '16'], io)).toBe(0);
    printed.length = 0;
    expect(await main(['export', '--run', run, '--format', 'tfjs'], io)).toBe(0);
    expect(await main(['export', '--run', run, '--format', 'safetensors'], io)).toBe(0);
    expect(printed).toEqual([path.join(run, 'export-tfjs'), path.join(run, 'model.safetensors')]);

    // ours, with the run's checkpoint (as eval rebuilds it)
    const ours = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 2 });
    const { readCheckpointFile, restoreWeights } = await import('@ausam/core');
    restoreWeights(ours, readCheckpointFile<{ weights: Record<string, Float32Array> }>(path.join(run, 'checkpoint.ausam')).weights);

    const loaded = await tfl.loadLayersModel(modelFileLoader(path.join(run, 'export-tfjs', 'model.json')));
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(maxDifference(tf.tidy(() => ours.forward(x, EVALUATION)), loaded.predict(x) as tf.Tensor)).toBeLessThan(1e-4);

    const reimported = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 99 });
    loadPyTorchWeightsFile(reimported, path.join(run, 'model.safetensors'));
    const expected = snapshotWeights(ours);
    const found = snapshotWeights(reimported);
    expect(Object.keys(found)).toEqual(Object.keys(expected));
    for (const key of Object.keys(expected)) expect(found[key]).toEqual(expected[key]);
  });

  it('export names a wrong format', async () => {
    const err: string[] = [];
    expect(await main(['export', '--run', '/tmp', '--format', 'onnx'], { out: () => {}, err: (l) => void err.push(l) })).toBe(1);
    expect(err[0]).toMatch(/export --format: expected one of tfjs, safetensors, found 'onnx'/);
  });
});
