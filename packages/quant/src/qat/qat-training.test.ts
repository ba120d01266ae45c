import * as tf from '@tensorflow/tfjs-core';
import { Sam, selectBackend, Sgd } from '@ausam/core';
import { createModel, InMemoryImageDataset } from '@ausam/classification';
import { QuantizedClassificationTask } from '../task/quantized-classification-task';
import { QuantizedClassifier } from './quantized-classifier';
import { verifyWeightLevels } from './weight-levels';

beforeAll(async () => {
  // conv backprop: wasm (with core's training kernels) is ~20× faster than cpu here
  await selectBackend({ force: 'wasm', log: () => {} });
});

describe('QuantizedClassifier on a classification model', () => {
  it('wraps resnet-small, trains SAM steps through the task without leaking tensors, and evaluates', async () => {
    const model = new QuantizedClassifier(createModel('resnet-small', { numClasses: 3, inputChannels: 1, seed: 0 }), {
      weightBits: 4,
      activationBits: 4,
    });
    expect(model.fullPrecisionLayers).toEqual(['stem/conv', 'head']);
    expect(model.quantizedLayers.map((l) => l.name)).toContain('stage2/block0/shortcut/conv');
    const task = new QuantizedClassificationTask(model);
    expect(task.name).toBe('classification-w4a4');
    const optimizer = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
    const batch = () => ({
      ids: Int32Array.from([0, 1, 2, 3]),
      images: tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 9) as tf.Tensor4D,
      labels: tf.tensor1d([0, 1, 2, 0], 'int32'),
    });
    const step = () => {
      const b = batch();
      const result = optimizer.step({ task, batch: b, learningRate: 0.05 });
      task.disposeBatch(b);
      return result;
    };
    const first = step();
    expect(Array.from(first.lossBefore).every(Number.isFinite)).toBe(true);
    expect(Array.from(first.lossAfter).every(Number.isFinite)).toBe(true);
    const tensors = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(verifyWeightLevels(model).ok).toBe(true);
    const testSet = new InMemoryImageDataset({
      pixels: Uint8Array.from({ length: 6 * 64 }, (_, i) => (i * 37) % 256),
      labels: Int32Array.from([0, 1, 2, 0, 1, 2]),
      height: 8,
      width: 8,
      channels: 1,
      numClasses: 3,
    });
    const metrics = await task.evaluate(testSet, { batchSize: 4 });
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.accuracy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(metrics.loss)).toBe(true);
    optimizer.dispose();
    model.dispose();
  });
});
