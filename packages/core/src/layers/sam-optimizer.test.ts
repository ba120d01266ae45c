import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../runtime/backend/wasm-kernels/test-helpers';
import { asam, sam, SamOptimizer } from './sam-optimizer';
import { maxDifference, smallCnn, smallData, weightValues } from './test-models';

tf.env().set('IS_TEST', false);

beforeEach(async () => {
  await useBackend('cpu');
});

/**
 * One SAM step written out by hand on `model` (its own copy): g at w (training mode, which moves its
 * moving statistics once), ε = ρ·g/‖g‖ (ASAM: T²g·ρ/‖Tg‖, T = |w| + 0.01), g̃ at w + ε, moving
 * statistics and w put back, w ← w − lr·g̃.
 */
function handSamStep(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, rho: number, learningRate: number, adaptive: boolean): void {
  const trained = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lossAt = () =>
    tf.tidy(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor;
      const perSample = tfl.metrics.categoricalCrossentropy(y, p);
      return tf.add(tf.mean(perSample), tf.addN([tf.scalar(0), ...model.calculateLosses()])) as tf.Scalar;
    });
  const first = tf.variableGrads(lossAt, trained);
  const statistics = model.nonTrainableWeights.map((w) => (w.read() as tf.Variable).clone());
  const w0 = trained.map((v) => v.clone());
  const g = trained.map((v) => first.grads[v.name]);
  const scale = trained.map((v) => (adaptive ? tf.add(tf.abs(v), 0.01) : tf.onesLike(v)));
  const tg = g.map((gi, i) => tf.mul(gi, scale[i]));
  const norm = Math.sqrt(tg.reduce((sum, t) => sum + tf.sum(tf.square(t)).dataSync()[0], 0));
  trained.forEach((v, i) => v.assign(tf.add(v, tf.mul(tf.mul(tg[i], scale[i]), rho / (norm + 1e-12)))));
  const second = tf.variableGrads(lossAt, trained);
  model.nonTrainableWeights.forEach((w, i) => (w.read() as tf.Variable).assign(statistics[i]));
  trained.forEach((v, i) => v.assign(tf.sub(w0[i], tf.mul(second.grads[v.name], learningRate))));
}

describe('sam / asam as a tf.Optimizer for model.compile', () => {
  it.each([
    ['sam', false],
    ['asam', true],
  ])('one %s step in model.fit equals the hand-computed step on a CNN with BatchNorm (1e-5)', async (_name, adaptive) => {
    const rho = adaptive ? 0.5 : 0.05;
    const learningRate = 0.1;
    const { x, y } = smallData(8);
    const model = smallCnn({ seed: 3, l2: 0.01 });
    const reference = smallCnn({ seed: 3, l2: 0.01 });
    reference.setWeights(model.getWeights());
    const optimizer = adaptive ? asam(tf.train.sgd(learningRate), { rho, model }) : sam(tf.train.sgd(learningRate), { rho, model });
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    tf.tidy(() => handSamStep(reference, x, y, rho, learningRate, adaptive));
    const before = weightValues(smallCnn({ seed: 3, l2: 0.01 }));
    expect(maxDifference(weightValues(model), before)).toBeGreaterThan(1e-3);
    expect(maxDifference(weightValues(model), weightValues(reference))).toBeLessThan(1e-5);
  });

  it('moves BatchNorm moving statistics exactly once per step', async () => {
    const { x, y } = smallData(8);
    const model = smallCnn({ seed: 4 });
    const onePass = smallCnn({ seed: 4 });
    onePass.setWeights(model.getWeights());
    model.compile({ optimizer: sam(tf.train.sgd(0.1), { rho: 0.05, model }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    tf.tidy(() => onePass.apply(x, { training: true }) as tf.Tensor);
    const moved = model.nonTrainableWeights.map((w) => (w.read().dataSync() as Float32Array).slice());
    const once = onePass.nonTrainableWeights.map((w) => (w.read().dataSync() as Float32Array).slice());
    expect(maxDifference(moved, once)).toBeLessThan(1e-7);
    // and they did move: the moving mean starts at 0
    expect(Math.max(...Array.from(moved[0]).map(Math.abs))).toBeGreaterThan(1e-4);
  });

  it('keeps tf.memory().numTensors flat over 20 fit steps, with compiled metrics', async () => {
    const { x, y } = smallData(40);
    const model = smallCnn({ seed: 5, l2: 1e-3 });
    model.compile({ optimizer: sam(tf.train.momentum(0.05, 0.9), { rho: 0.05, model }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const counts: number[] = [];
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, callbacks: { onBatchEnd: async () => void counts.push(tf.memory().numTensors) } });
    expect(counts).toHaveLength(20);
    // the momentum slots appear on the first step; from then on the count must not change
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('works with validationData, callbacks and tf.History', async () => {
    const { x, y } = smallData(16);
    const model = smallCnn({ seed: 5 });
    model.compile({ optimizer: sam(tf.train.sgd(0.1), { rho: 0.05, model }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const epochsSeen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      validationData: [x, y],
      callbacks: { onEpochEnd: async (epoch) => void epochsSeen.push(epoch) },
    });
    expect(epochsSeen).toEqual([0, 1, 2]);
    expect(history.epoch).toEqual([0, 1, 2]);
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
      expect(history.history[key]).toHaveLength(3);
      for (const value of history.history[key]) expect(Number.isFinite(value as number)).toBe(true);
    }
  });

  it('trains the loss down under model.fit and saves with model.save (optimizer included)', async () => {
    const { x, y } = smallData(32);
    const model = smallCnn({ seed: 6 });
    model.compile({ optimizer: sam(tf.train.adam(0.01), { rho: 0.05, model }), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const artifacts: tf.io.ModelArtifacts[] = [];
    await model.save(tf.io.withSaveHandler(async (a) => (artifacts.push(a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true });
    const config = (artifacts[0].trainingConfig as unknown as { optimizer_config: { class_name: string } }).optimizer_config;
    expect(config.class_name).toBe(SamOptimizer.className);
    const restored = await tfl.loadLayersModel(tf.io.fromMemory(artifacts[0]));
    expect(restored.optimizer).toBeInstanceOf(SamOptimizer);
    expect((restored.optimizer as SamOptimizer).getConfig()).toEqual(model.optimizer.getConfig());
  });

  it('rejects a base that is not a tf.Optimizer, naming what it found', () => {
    expect(() => sam({} as tf.Optimizer, { rho: 0.05 })).toThrow(/expected a tf.Optimizer \(tf.train.\*\), found an object of class Object/);
  });
});
