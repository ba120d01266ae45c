/**
 * The accuracy claim of issue 25: a user's tf.sequential CNN trained with AUSAM through
 * `fitWithMethod` (`@ausam/core/layers`) against the same network written with core's own layers
 * (Conv2d, BatchNorm, Dense) trained with `train()`: same recipe, same initial weights (copied from
 * the tfjs model), same data, seeds paired. Prints each seed's test accuracies and the mean ± std of
 * the paired difference.
 *
 *   nice -n 5 npx tsx --tsconfig tsconfig.base.json tools/bench/interop/layers-vs-core-fashion-mnist.ts \
 *     [--train 10000] [--test 10000] [--epochs 4] [--seeds 0,1,2]
 *
 * Recipe: AUSAM ρ 0.05, ratio 0.5 (one full-SAM warm-up epoch), SGD momentum 0.9, weight decay 5e-4,
 * cosine learning rate from 0.05 per step, batch 128; network conv3×3/2 (16) – BN – ReLU – conv3×3/2
 * (32) – BN – ReLU – global average pool – dense (10, softmax); Fashion-MNIST from
 * /usr/share/datasets/fashion-mnist (the first `--train` training images, the first `--test` test ones), /255.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  BatchNorm,
  buildMethod,
  Conv2d,
  cosineSchedule,
  Dense,
  EVALUATION,
  ParameterRegistry,
  Rng,
  selectBackend,
  train,
  type Dataset,
  type EvaluateOptions,
  type ForwardMode,
  type MethodSpec,
  type Task,
} from '@ausam/core';
import { fitWithMethod, TensorDataset, type TensorBatch } from '@ausam/core/layers';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const METHOD: MethodSpec = { method: 'ausam', rho: 0.05, ratio: 0.5, base: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 } };
const LEARNING_RATE = 0.05;
const BATCH_SIZE = 128;

/** Images [n, 28, 28, 1] in [0, 1] and one-hot labels [n, 10], the first `limit` of a split. */
function loadSplit(prefix: 'train' | 't10k', limit: number): [tf.Tensor4D, tf.Tensor2D] {
  const images = zlib.gunzipSync(fs.readFileSync(path.join(FASHION_MNIST, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = zlib.gunzipSync(fs.readFileSync(path.join(FASHION_MNIST, `${prefix}-labels-idx1-ubyte.gz`)));
  const count = Math.min(limit, labels.length - 8);
  const pixels = Float32Array.from(images.subarray(16, 16 + count * 784), (v) => v / 255);
  const classes = Int32Array.from(labels.subarray(8, 8 + count));
  return tf.tidy(() => [tf.tensor4d(pixels, [count, 28, 28, 1]), tf.cast(tf.oneHot(tf.tensor1d(classes, 'int32'), 10), 'float32') as tf.Tensor2D]);
}

/** The user's network in tf.layers (BatchNorm set to PyTorch's/core's momentum and ε). */
function layersCnn(seed: number): tfl.Sequential {
  const model = tfl.sequential();
  const conv = (filters: number, first: boolean, k: number) =>
    tfl.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed: seed * 10 + k }),
    });
  model.add(conv(16, true, 1));
  model.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  model.add(tfl.layers.reLU());
  model.add(conv(32, false, 2));
  model.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  model.add(tfl.layers.reLU());
  model.add(tfl.layers.globalAveragePooling2d({}));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 10 + 3 }) }));
  return model;
}

/** The same network with core's layers, as a core Task on the same tensor batches. */
class CoreCnnTask implements Task<TensorBatch> {
  readonly name = 'core-cnn';
  readonly model = new ParameterRegistry(new Rng(0));
  private readonly conv1 = new Conv2d(this.model, 'conv1', { inChannels: 1, outChannels: 16, kernelSize: 3, stride: 2, padding: 'same' });
  private readonly bn1 = new BatchNorm(this.model, 'bn1', 16);
  private readonly conv2 = new Conv2d(this.model, 'conv2', { inChannels: 16, outChannels: 32, kernelSize: 3, stride: 2, padding: 'same' });
  private readonly bn2 = new BatchNorm(this.model, 'bn2', 32);
  private readonly head = new Dense(this.model, 'head', 32, 10);

  /** Starts from the tf.layers model's weights (layer by layer: conv, γ, β, μ, σ², conv, γ, β, μ, σ², kernel, bias). */
  copyFrom(model: tfl.LayersModel): void {
    const values = model.layers.flatMap((layer) => layer.getWeights());
    const mine = [this.conv1.filter, this.bn1.gamma, this.bn1.beta, this.bn1.runningMean, this.bn1.runningVariance,
      this.conv2.filter, this.bn2.gamma, this.bn2.beta, this.bn2.runningMean, this.bn2.runningVariance,
      ...this.model.trainableVariables.slice(-2)];
    mine.forEach((v, i) => v.assign(values[i]));
  }

  logits(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    const h1 = tf.relu(this.bn1.apply(this.conv1.apply(x), mode));
    const h2 = tf.relu(this.bn2.apply(this.conv2.apply(h1), mode));
    return this.head.apply(tf.mean(h2, [1, 2]) as tf.Tensor2D);
  }

  perSampleLoss(batch: TensorBatch, mode: ForwardMode): tf.Tensor1D {
    return tf.tidy(() => tf.neg(tf.sum(tf.mul(batch.targets, tf.logSoftmax(this.logits(batch.inputs as tf.Tensor4D, mode))), 1)) as tf.Tensor1D);
  }

  selectSamples(batch: TensorBatch, positions: Int32Array): TensorBatch {
    const index = tf.tensor1d(positions, 'int32');
    const subset = { ids: Int32Array.from(positions, (p) => batch.ids[p]), inputs: tf.gather(batch.inputs, index), targets: tf.gather(batch.targets, index) };
    index.dispose();
    return subset;
  }

  disposeBatch(batch: TensorBatch): void {
    tf.dispose([batch.inputs, batch.targets]);
  }

  async evaluate(dataset: Dataset<TensorBatch>, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const ids = Int32Array.from({ length: dataset.size }, (_, i) => i);
    let correct = 0;
    let lossSum = 0;
    for await (const batch of dataset.batches(ids, options.batchSize ?? 256)) {
      const [hits, loss] = tf.tidy(() => {
        const logits = this.logits(batch.inputs as tf.Tensor4D, EVALUATION);
        return [tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(batch.targets, 1)), 'float32')), tf.sum(this.perSampleLoss(batch, EVALUATION))];
      });
      correct += hits.dataSync()[0];
      lossSum += loss.dataSync()[0];
      tf.dispose([hits, loss]);
      this.disposeBatch(batch);
    }
    return { accuracy: correct / dataset.size, loss: lossSum / dataset.size };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { train: { type: 'string' }, test: { type: 'string' }, epochs: { type: 'string' }, seeds: { type: 'string' } } });
  const trainCount = Number(values.train ?? 10000);
  const testCount = Number(values.test ?? 10000);
  const epochs = Number(values.epochs ?? 4);
  const seeds = (values.seeds ?? '0,1,2').split(',').map(Number);
  const backend = await selectBackend({ log: () => {} });
  const [x, y] = loadSplit('train', trainCount);
  const [testX, testY] = loadSplit('t10k', testCount);
  console.log(`backend ${backend.name}; Fashion-MNIST ${x.shape[0]} train / ${testX.shape[0]} test; ${JSON.stringify(METHOD)}, lr cosine ${LEARNING_RATE}, batch ${BATCH_SIZE}, ${epochs} epochs`);
  const rows: { seed: number; layers: number; core: number }[] = [];
  for (const seed of seeds) {
    const started = Date.now();
    const users = layersCnn(seed);
    const core = new CoreCnnTask();
    core.copyFrom(users);
    const history = await fitWithMethod(users, x, y, {
      ...METHOD,
      method: 'ausam',
      optimizer: METHOD.base,
      learningRate: cosineSchedule(LEARNING_RATE, epochs),
      loss: 'categoricalCrossentropy',
      epochs,
      batchSize: BATCH_SIZE,
      validationData: [testX, testY],
      verbose: 0,
      seed,
    });
    const layersAccuracy = (history.history.val_acc as number[])[epochs - 1];
    const built = buildMethod(METHOD, x.shape[0], seed);
    const summary = await train({
      task: core, trainSet: new TensorDataset(x, y), evalSets: { test: new TensorDataset(testX, testY) },
      optimizer: built.optimizer, sampler: built.sampler, learningRate: cosineSchedule(LEARNING_RATE, epochs),
      epochs, batchSize: BATCH_SIZE, seed, progress: false, log: () => {},
    });
    built.optimizer.dispose();
    rows.push({ seed, layers: layersAccuracy, core: summary.final.test.accuracy });
    console.log(`seed ${seed}: tf.layers + fitWithMethod ${(100 * layersAccuracy).toFixed(2)}%, core layers + train ${(100 * summary.final.test.accuracy).toFixed(2)}%, difference ${(100 * (layersAccuracy - summary.final.test.accuracy)).toFixed(2)} points (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    users.dispose();
    core.model.dispose();
  }
  const differences = rows.map((r) => 100 * (r.layers - r.core));
  const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
  const std = Math.sqrt(differences.reduce((a, d) => a + (d - mean) ** 2, 0) / Math.max(1, differences.length - 1));
  const spread = (key: 'layers' | 'core') => {
    const v = rows.map((r) => 100 * r[key]);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return `${m.toFixed(2)} ± ${Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, v.length - 1)).toFixed(2)}`;
  };
  console.log(`tf.layers ${spread('layers')}%, core ${spread('core')}% (mean ± std over seeds ${seeds.join(',')})`);
  console.log(`paired difference (tf.layers − core): ${mean.toFixed(2)} ± ${std.toFixed(2)} points`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
