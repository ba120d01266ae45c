import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Value import for its side effect: core registers tfjs' gradient functions.
import '@ausam/core';
import type { Dataset, ForwardMode, Rng } from '@ausam/core';
import type { ClassificationBatch } from '../data/classification-batch';
import type { ClassifierModel } from '../models/classifier-model';
import { ClassificationTask, crossEntropy } from './classification-task';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A "model" whose logits are its input images `[B, 1, 1, K]` times a trainable scale (1 initially). */
class LogitsModel implements ClassifierModel {
  readonly scale = tf.variable(tf.scalar(1));
  readonly modes: ForwardMode[] = [];
  readonly description = 'test double: logits = images · scale';
  readonly stateVariables: tf.Variable[] = [];
  constructor(readonly numClasses: number) {}
  get trainableVariables(): tf.Variable[] {
    return [this.scale];
  }
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    this.modes.push(mode);
    return tf.mul(tf.reshape(images, [images.shape[0], this.numClasses]), this.scale) as tf.Tensor2D;
  }
  parameterCount(): number {
    return 1;
  }
  dispose(): void {
    this.scale.dispose();
  }
}

function batchOf(logits: number[][], labels: number[], ids?: number[]): ClassificationBatch {
  const k = logits[0].length;
  return {
    ids: Int32Array.from(ids ?? labels.map((_, i) => i)),
    images: tf.tensor4d(logits.flat(), [logits.length, 1, 1, k]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** A dataset of per-sample logits, recording how it is iterated. */
class LogitsDataset implements Dataset<ClassificationBatch> {
  readonly calls: { ids: number[]; batchSize: number; rng: Rng | undefined }[] = [];
  constructor(
    private readonly logits: number[][],
    private readonly labels: number[],
  ) {}
  get size(): number {
    return this.labels.length;
  }
  async *batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<ClassificationBatch> {
    this.calls.push({ ids: Array.from(ids), batchSize, rng });
    for (let start = 0; start < ids.length; start += batchSize) {
      const chunk = Array.from(ids.subarray(start, start + batchSize));
      yield batchOf(
        chunk.map((i) => this.logits[i]),
        chunk.map((i) => this.labels[i]),
        chunk,
      );
    }
  }
}

const TRAIN: ForwardMode = { training: true, updateStatistics: true };

describe('ClassificationTask.perSampleLoss', () => {
  // Sample 0: logits (2, 0, 0), label 0: p = e²/(e² + 2), loss = ln(1 + 2e⁻²).
  // Sample 1: logits (0, ln 3, 0), label 2: p = (1/5, 3/5, 1/5), loss = ln 5.
  const logits = [
    [2, 0, 0],
    [0, Math.log(3), 0],
  ];
  const labels = [0, 2];

  it('is the softmax cross-entropy of each sample', () => {
    const model = new LogitsModel(3);
    const task = new ClassificationTask(model);
    const batch = batchOf(logits, labels);
    const loss = task.perSampleLoss(batch, TRAIN);
    expect(loss.shape).toEqual([2]);
    const [a, b] = Array.from(loss.dataSync());
    expect(a).toBeCloseTo(Math.log(1 + 2 * Math.exp(-2)), 6);
    expect(b).toBeCloseTo(Math.log(5), 6);
    expect(model.modes).toEqual([TRAIN]);
    tf.dispose([loss]);
    task.disposeBatch(batch);
    model.dispose();
  });

  it('with label smoothing ε uses the target (1 − ε)·one-hot + ε/K', () => {
    const model = new LogitsModel(3);
    const task = new ClassificationTask(model, { labelSmoothing: 0.1 });
    const batch = batchOf(logits, labels);
    const [a, b] = Array.from(task.perSampleLoss(batch, TRAIN).dataSync());
    // Sample 0: log p = (2, 0, 0) − ln(e² + 2); loss = −0.9·log p₀ − (0.1/3)·Σ log p.
    const lse = Math.log(Math.exp(2) + 2);
    expect(a).toBeCloseTo(-0.9 * (2 - lse) - (0.1 / 3) * (2 - 3 * lse), 6);
    // Sample 1: log p = (−ln 5, ln 3 − ln 5, −ln 5); loss = 0.9 ln 5 − (0.1/3)(ln 3 − 3 ln 5) = ln 5 − ln 3 / 30.
    expect(b).toBeCloseTo(Math.log(5) - Math.log(3) / 30, 6);
    task.disposeBatch(batch);
    model.dispose();
  });

  it("with the authors' label smoothing gives KL(t ‖ softmax z), t = 1 − ε on the label and ε/(K − 1) elsewhere, and gradient softmax(z) − t", () => {
    // A hand-made case: K = 3, ε = 0.3, so t = (0.15, 0.7, 0.15) for label 1 and (0.15, 0.15, 0.7) for label 2.
    const z = [
      [1, 2, 0.5],
      [-1, 0.25, 3],
    ];
    const y = [1, 2];
    const targets = [
      [0.15, 0.7, 0.15],
      [0.15, 0.15, 0.7],
    ];
    const softmax = (row: number[]) => row.map((v) => Math.exp(v) / row.reduce((s, u) => s + Math.exp(u), 0));
    const kl = (t: number[], row: number[]) => t.reduce((s, tk, k) => s + tk * (Math.log(tk) - Math.log(softmax(row)[k])), 0);
    const zVariable = tf.variable(tf.tensor2d(z));
    const labelTensor = tf.tensor1d(y, 'int32');
    const smoothing = { epsilon: 0.3, form: 'authors' } as const;
    const loss = crossEntropy(zVariable, labelTensor, smoothing);
    const values = Array.from(loss.dataSync());
    values.forEach((v, i) => expect(v).toBeCloseTo(kl(targets[i], z[i]), 6));
    // the uniform form differs: t = 0.7 + 0.1 = 0.8 on the label, 0.1 elsewhere, and no entropy term
    const uniform = Array.from(crossEntropy(zVariable, labelTensor, 0.3).dataSync());
    const uniformTarget = [0.1, 0.8, 0.1];
    expect(uniform[0]).toBeCloseTo(-uniformTarget.reduce((s, tk, k) => s + tk * Math.log(softmax(z[0])[k]), 0), 6);
    expect(Math.abs(uniform[0] - values[0])).toBeGreaterThan(0.1);
    // d(sum of per-sample losses)/dz = softmax(z) − t, row by row
    const { grads } = tf.variableGrads(() => tf.sum(crossEntropy(zVariable, labelTensor, smoothing)) as tf.Scalar, [zVariable]);
    const gradient = grads[zVariable.name].arraySync() as number[][];
    z.forEach((row, i) => softmax(row).forEach((p, k) => expect(gradient[i][k]).toBeCloseTo(p - targets[i][k], 6)));
    tf.dispose([zVariable, labelTensor, loss, grads[zVariable.name]]);
  });

  it('is finite for huge logits and differentiable', () => {
    const model = new LogitsModel(3);
    const task = new ClassificationTask(model);
    const batch = batchOf(
      [
        [1000, 0, -1000],
        [1000, 0, -1000],
      ],
      [0, 2],
    );
    const [a, b] = Array.from(task.perSampleLoss(batch, TRAIN).dataSync());
    expect(a).toBeCloseTo(0, 6);
    expect(b).toBeCloseTo(2000, 3);
    // d/dscale of mean loss at scale 1, logits z·s: sample 0 → 0, sample 1 → z_argmax − z_label = 2000.
    const { grads } = tf.variableGrads(() => tf.mean(task.perSampleLoss(batch, TRAIN)) as tf.Scalar, [model.scale]);
    expect(grads[model.scale.name].dataSync()[0]).toBeCloseTo(1000, 2);
    tf.dispose(grads);
    task.disposeBatch(batch);
    model.dispose();
  });

  it('rejects label smoothing outside [0, 1)', () => {
    const model = new LogitsModel(3);
    expect(() => new ClassificationTask(model, { labelSmoothing: 1 })).toThrow(/labelSmoothing/);
    expect(() => new ClassificationTask(model, { labelSmoothing: -0.1 })).toThrow(/labelSmoothing/);
    expect(() => new ClassificationTask(model, { labelSmoothing: { epsilon: 0.1, form: 'kl' as never } })).toThrow(
      /labelSmoothing: form must be 'uniform' or 'authors', found 'kl'/,
    );
    model.dispose();
  });
});

describe('ClassificationTask.selectSamples / disposeBatch', () => {
  it('gathers ids, images and labels at the positions, leaving the batch intact', () => {
    const model = new LogitsModel(2);
    const task = new ClassificationTask(model);
    const batch = batchOf(
      [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
      ],
      [0, 1, 1, 0],
      [10, 11, 12, 13],
    );
    const before = tf.memory().numTensors;
    const sub = task.selectSamples(batch, Int32Array.from([3, 1]));
    expect(Array.from(sub.ids)).toEqual([13, 11]);
    expect(sub.images.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(sub.images.dataSync())).toEqual([6, 7, 2, 3]);
    expect(Array.from(sub.labels.dataSync())).toEqual([0, 1]);
    expect(sub.labels.dtype).toBe('int32');
    expect(tf.memory().numTensors).toBe(before + 2);
    task.disposeBatch(sub);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(batch.images.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(() => task.selectSamples(batch, Int32Array.from([4]))).toThrow(/position 4 outside a batch of 4/);
    task.disposeBatch(batch);
    expect(batch.images.isDisposed && batch.labels.isDisposed).toBe(true);
    model.dispose();
  });
});

describe('ClassificationTask.evaluate', () => {
  // Predicted class = argmax; labels chosen so that samples 0, 1, 2, 4, 6 are right (5 of 7).
  const logits = [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
    [3, 0, 0],
  ];
  const labels = [0, 1, 2, 1, 1, 0, 0];
  const right = Math.log(1 + 2 * Math.exp(-3)); // cross-entropy when the label has logit 3
  const wrong = 3 + right; // label logit 0: −log(1/(e³ + 2)) = 3 + ln(1 + 2e⁻³)

  it('reports top-1 accuracy and mean cross-entropy in eval mode, without rng, disposing batches', async () => {
    const model = new LogitsModel(3);
    const task = new ClassificationTask(model, { labelSmoothing: 0.2 });
    const dataset = new LogitsDataset(logits, labels);
    const before = tf.memory().numTensors;
    const metrics = await task.evaluate(dataset, { batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'loss']);
    expect(metrics.accuracy).toBeCloseTo(5 / 7, 10);
    // Reported loss is plain cross-entropy (no smoothing), averaged over samples.
    expect(metrics.loss).toBeCloseTo((5 * right + 2 * wrong) / 7, 5);
    expect(dataset.calls).toEqual([{ ids: [0, 1, 2, 3, 4, 5, 6], batchSize: 3, rng: undefined }]);
    expect(model.modes).toHaveLength(3);
    expect(model.modes.every((m) => !m.training && !m.updateStatistics)).toBe(true);
    model.dispose();
  });

  it('evaluates only the first `limit` samples', async () => {
    const model = new LogitsModel(3);
    const task = new ClassificationTask(model);
    const dataset = new LogitsDataset(logits, labels);
    const metrics = await task.evaluate(dataset, { batchSize: 256, limit: 4 });
    expect(dataset.calls[0].ids).toEqual([0, 1, 2, 3]);
    expect(metrics.accuracy).toBeCloseTo(3 / 4, 10);
    expect(metrics.loss).toBeCloseTo((3 * right + wrong) / 4, 5);
    await expect(task.evaluate(dataset, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(task.evaluate(dataset, { limit: 0 })).rejects.toThrow(/no samples/);
    model.dispose();
  });

  it('adds top-5 accuracy when there are more than 5 classes', async () => {
    // 8 classes; logits descend with the class index, so classes 0-4 are the top 5.
    const descending = [7, 6, 5, 4, 3, 2, 1, 0];
    const model = new LogitsModel(8);
    const task = new ClassificationTask(model);
    const dataset = new LogitsDataset([descending, descending, descending, descending], [0, 4, 5, 7]);
    const metrics = await task.evaluate(dataset, { batchSize: 2 });
    expect(metrics.accuracy).toBeCloseTo(1 / 4, 10);
    expect(metrics.top5).toBeCloseTo(2 / 4, 10);
    model.dispose();
  });
});
