import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../runtime/backend/wasm-kernels/test-helpers';
import { snapshotWeights } from '../train/model-weights';
import { fitWithMethod } from './fit-with-method';
import { LayersModelTask } from './layers-model-task';
import { sam } from './sam-optimizer';
import { maxDifference, smallCnn, smallData, weightValues } from './test-models';

tf.env().set('IS_TEST', false);

beforeEach(async () => {
  await useBackend('cpu');
});

describe('fitWithMethod', () => {
  it.each([
    ['linear output, meanSquaredError', 'linear', 'meanSquaredError', 1e-6],
    // softmax: ours takes the log-softmax of the logits, fit clips probabilities at 1e-7
    ['softmax output, categoricalCrossentropy', 'softmax', 'categoricalCrossentropy', 1e-5],
  ] as const)('method sgd with a tf.train base trains as model.fit does, L2 regularizer included (%s)', async (_case, outputActivation, loss, tolerance) => {
    const { x, y } = smallData(24);
    const ours = smallCnn({ seed: 8, l2: 0.05, outputActivation });
    const reference = smallCnn({ seed: 8, l2: 0.05, outputActivation });
    const unregularized = smallCnn({ seed: 8, outputActivation });
    reference.setWeights(ours.getWeights());
    unregularized.setWeights(ours.getWeights());
    reference.compile({ optimizer: tf.train.sgd(0.1), loss });
    await reference.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await fitWithMethod(ours, x, y, { method: 'sgd', loss, optimizer: tf.train.sgd(0.1), epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await fitWithMethod(unregularized, x, y, { method: 'sgd', loss, optimizer: tf.train.sgd(0.1), epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    expect(maxDifference(weightValues(ours), weightValues(reference))).toBeLessThan(tolerance);
    // the regularizer matters here: without it the dense kernel ends elsewhere
    expect(maxDifference(weightValues(ours), weightValues(unregularized))).toBeGreaterThan(1e-3);
  });

  it('method sam equals model.fit with the sam() tf.Optimizer (same steps, moving statistics once per step)', async () => {
    const { x, y } = smallData(16);
    const ours = smallCnn({ seed: 9, outputActivation: 'linear' });
    const reference = smallCnn({ seed: 9, outputActivation: 'linear' });
    reference.setWeights(ours.getWeights());
    reference.compile({ optimizer: sam(tf.train.sgd(0.05), { rho: 0.05, model: reference }), loss: 'meanSquaredError' });
    await reference.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await fitWithMethod(ours, x, y, { method: 'sam', rho: 0.05, loss: 'meanSquaredError', optimizer: tf.train.sgd(0.05), epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    expect(maxDifference(weightValues(ours), weightValues(reference))).toBeLessThan(1e-6);
  });

  it('trains with AUSAM and returns a tf.History with validation metrics; callbacks run; no tensor leaks', async () => {
    const { x, y } = smallData(48);
    const model = smallCnn({ seed: 10 });
    const before = tf.memory().numTensors;
    const events: string[] = [];
    const history = await fitWithMethod(model, x, y, {
      method: 'ausam',
      rho: 0.05,
      ratio: 0.5,
      loss: 'categoricalCrossentropy',
      learningRate: 0.05,
      epochs: 4,
      batchSize: 8,
      validationData: [x, y],
      verbose: 0,
      seed: 3,
      callbacks: {
        onEpochBegin: async (epoch) => void events.push(`epoch ${epoch}`),
        onBatchEnd: async (batch, logs) => void (batch === 0 && events.push(`batch0 loss ${Number.isFinite(logs?.loss)}`)),
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(history).toBeInstanceOf(tfl.History);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    const losses = history.history.loss as number[];
    expect(losses[3]).toBeLessThan(losses[0]);
    expect(history.history.val_loss).toHaveLength(4);
    for (const acc of history.history.val_acc as number[]) expect(acc).toBeGreaterThanOrEqual(0);
    expect(events.filter((e) => e.startsWith('epoch'))).toEqual(['epoch 0', 'epoch 1', 'epoch 2', 'epoch 3']);
    expect(events.filter((e) => e.startsWith('batch0'))).toEqual(Array(4).fill('batch0 loss true'));
  });

  it('stops when a callback sets model.stopTraining (as EarlyStopping does)', async () => {
    const { x, y } = smallData(16);
    const model = smallCnn({ seed: 11 });
    const history = await fitWithMethod(model, x, y, {
      method: 'sgd',
      loss: 'categoricalCrossentropy',
      epochs: 5,
      batchSize: 8,
      verbose: 0,
      callbacks: { onEpochEnd: async (epoch) => void (epoch === 1 && (model.stopTraining = true)) },
    });
    expect(history.epoch).toEqual([0, 1]);
  });

  it('refuses a learningRate next to a tf.train optimizer, and a loss it has no per-sample form of', async () => {
    const { x, y } = smallData(8);
    const model = smallCnn({ seed: 12 });
    await expect(fitWithMethod(model, x, y, { loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.01), learningRate: 0.1, verbose: 0 })).rejects.toThrow(
      /args.learningRate is for core's base optimizer; the Adam given steps with its own learning rate/,
    );
    await expect(fitWithMethod(model, x, y, { loss: 'hinge', verbose: 0 })).rejects.toThrow(/loss: expected one of .* found 'hinge'/);
  });

  it('keys checkpoints by position, not by tfjs-layers name counters', () => {
    const first = new LayersModelTask(smallCnn({ seed: 1 }), { loss: 'categoricalCrossentropy' });
    smallCnn({ seed: 2 }); // one more model built in between shifts every auto-generated layer name
    const second = new LayersModelTask(smallCnn({ seed: 1 }), { loss: 'categoricalCrossentropy' });
    const keys = Object.keys(snapshotWeights(first.model));
    expect(keys).toEqual(Object.keys(snapshotWeights(second.model)));
    expect(keys).toContain('layers/0/weights/0');
    expect(keys).toHaveLength(8);
  });
});
