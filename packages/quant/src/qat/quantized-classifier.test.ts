import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Conv2d, Dense, ParameterRegistry, Rng, snapshotWeights, variableName, type ForwardMode } from '@ausam/core';
import { createModel, crossEntropy, type ClassifierModel } from '@ausam/classification';
import { BitWidthError } from '../quantizers/errors';
import { LsqQuantizer } from '../quantizers/lsq-quantizer';
import { effectiveModelSize } from './model-size';
import { QuantizedClassifier } from './quantized-classifier';
import { verifyWeightLevels } from './weight-levels';

const TRAIN: ForwardMode = { training: true, updateStatistics: true };
const EVAL: ForwardMode = { training: false, updateStatistics: false };

/** conv1 → ReLU → conv2 → ReLU → mean pool → dense1 → ReLU → dense2, small enough to check by hand. */
class TinyNet implements ClassifierModel {
  readonly description = 'TinyNet';
  readonly numClasses = 2;
  readonly registry: ParameterRegistry;
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly dense1: Dense;
  readonly dense2: Dense;

  constructor(seed: number) {
    this.registry = new ParameterRegistry(new Rng(seed));
    this.conv1 = new Conv2d(this.registry, 'conv1', { inChannels: 1, outChannels: 2, kernelSize: 3 });
    this.conv2 = new Conv2d(this.registry, 'conv2', { inChannels: 2, outChannels: 3, kernelSize: 3 });
    this.dense1 = new Dense(this.registry, 'dense1', 3, 4);
    this.dense2 = new Dense(this.registry, 'dense2', 4, 2);
  }
  get trainableVariables() {
    return this.registry.trainableVariables;
  }
  get stateVariables() {
    return this.registry.stateVariables;
  }
  firstHidden(images: tf.Tensor4D): tf.Tensor4D {
    return tf.relu(this.conv1.apply(images));
  }
  forward(images: tf.Tensor4D, _mode: ForwardMode): tf.Tensor2D {
    const h = tf.relu(this.conv2.apply(this.firstHidden(images)));
    return this.dense2.apply(tf.relu(this.dense1.apply(tf.mean(h, [1, 2]) as tf.Tensor2D)));
  }
  parameterCount() {
    return this.registry.parameterCount();
  }
  dispose() {
    this.registry.dispose();
  }
}

const images = () => tf.randomNormal([4, 5, 5, 1], 0, 1, 'float32', 5) as tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('QuantizedClassifier on a hand-checkable net', () => {
  it('quantizes every conv/dense except the first conv and the last dense', () => {
    const model = new QuantizedClassifier(new TinyNet(0), { weightBits: 4, activationBits: 4 });
    expect(model.quantizedLayers.map((l) => l.name)).toEqual(['conv2', 'dense1']);
    expect(model.fullPrecisionLayers).toEqual(['conv1', 'dense2']);
    expect(model.quantizerVariables.map((v) => v.shape)).toEqual([[3], [1], [4], [1]]);
    model.dispose();
  });

  it('quantizes only inside its own forward; base.forward stays full precision', () => {
    const base = new TinyNet(1);
    const x = images();
    const before = base.forward(x, EVAL).dataSync().slice();
    const model = new QuantizedClassifier(base, { weightBits: 2, activationBits: 2 });
    const quantized = model.forward(x, EVAL).dataSync();
    expect(Array.from(base.forward(x, EVAL).dataSync())).toEqual(Array.from(before));
    expect(Array.from(quantized)).not.toEqual(Array.from(before));
    // the real variables are back in place after the quantized pass
    expect(base.conv2.filter).toBe(base.trainableVariables[1]);
    model.dispose();
  });

  it('initialises weight steps from the weights and input steps from the first batch (LSQ init)', () => {
    const base = new TinyNet(2);
    const model = new QuantizedClassifier(base, { weightBits: 3, activationBits: 4 });
    const [conv2] = model.quantizedLayers;
    const weightQuantizer = conv2.quantizers.weight as LsqQuantizer;
    const inputQuantizer = conv2.quantizers.input as LsqQuantizer;
    expect(Array.from(inputQuantizer.step.dataSync())).toEqual([0]);
    const x = images();
    tf.tidy(() => void model.forward(x, TRAIN));
    // signed 3-bit weights: Qp = 3, one step per output channel
    const meanAbs = tf.mean(tf.abs(base.conv2.filter), [0, 1, 2]).dataSync();
    Array.from(weightQuantizer.step.dataSync()).forEach((s, c) => expect(s).toBeCloseTo((2 * meanAbs[c]) / Math.sqrt(3), 6));
    // conv2's input is post-ReLU, so 'auto' picks the unsigned grid: Qp = 15
    expect(inputQuantizer.integerRange).toEqual({ bits: 4, signed: false, qn: 0, qp: 15 });
    const inputMeanAbs = tf.mean(base.firstHidden(x)).dataSync()[0];
    expect(inputQuantizer.step.dataSync()[0]).toBeCloseTo((2 * inputMeanAbs) / Math.sqrt(15), 6);
    model.dispose();
  });

  it('W2 weights take at most 4 values per output channel (verifier)', () => {
    const model = new QuantizedClassifier(new TinyNet(3), { weightBits: 2, activationBits: 8 });
    tf.tidy(() => void model.forward(images(), TRAIN));
    const report = verifyWeightLevels(model);
    expect(report.ok).toBe(true);
    expect(report.layers.map((l) => [l.layer, l.channels, l.limit])).toEqual([
      ['conv2', 3, 4],
      ['dense1', 4, 4],
    ]);
    for (const layer of report.layers) expect(layer.maxDistinctPerChannel).toBeLessThanOrEqual(4);
    model.dispose();
  });

  it('reports effective size: b_w bits per quantized weight, 32 for the rest and the steps', () => {
    const model = new QuantizedClassifier(new TinyNet(0), { weightBits: 4, activationBits: 4 });
    const size = effectiveModelSize(model);
    // conv1 18 + conv2 54 + dense1 12+4 + dense2 8+2 = 98; quantized: conv2 54 + dense1 kernel 12
    expect(size.parameters).toBe(98);
    expect(size.quantizedParameters).toBe(66);
    expect(size.fullPrecisionParameters).toBe(32);
    expect(size.quantizerParameters).toBe(9);
    expect(size.bits).toBe(4 * 66 + 32 * (32 + 9));
    expect(size.compressionRatio).toBeCloseTo((98 * 32) / 1576, 10);
    model.dispose();
  });

  it('loads a full-precision checkpoint and re-initialises the steps from it', () => {
    const trained = new TinyNet(10);
    const weights = snapshotWeights(trained);
    const model = new QuantizedClassifier(new TinyNet(11), { weightBits: 4, activationBits: 4 });
    tf.tidy(() => void model.forward(images(), TRAIN));
    const weightQuantizer = model.quantizedLayers[0].quantizers.weight as LsqQuantizer;
    model.initializeFromFullPrecision(new Map(Object.entries(weights)));
    expect(Array.from(model.base.trainableVariables[1].dataSync())).toEqual(Array.from(weights['conv2/filter']));
    expect(Array.from(weightQuantizer.step.dataSync())).toEqual([0, 0, 0]); // reset, waiting for data
    tf.tidy(() => void model.forward(images(), TRAIN));
    const meanAbs = tf.mean(tf.abs(trained.conv2.filter), [0, 1, 2]).dataSync();
    expect(weightQuantizer.step.dataSync()[0]).toBeCloseTo((2 * meanAbs[0]) / Math.sqrt(7), 6);
    expect(() => model.initializeFromFullPrecision({ 'conv1/filter': weights['conv1/filter'] })).toThrow(
      /full-precision checkpoint: missing weights for variable 'conv2\/filter'/,
    );
    trained.dispose();
    model.dispose();
  });

  it('gives every variable, steps included, a finite gradient (STE through the quantized weights)', () => {
    const model = new QuantizedClassifier(new TinyNet(4), { weightBits: 4, activationBits: 4 });
    const x = images();
    const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
    const variables = model.trainableVariables as tf.Variable[];
    const { grads } = tf.variableGrads(
      () => tf.mean(crossEntropy(model.forward(x, TRAIN), labels)) as tf.Scalar,
      variables,
    );
    for (const v of variables) {
      const g = grads[v.name];
      expect(g).toBeDefined();
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    }
    const filterGrad = grads[model.base.trainableVariables[1].name];
    expect(tf.sum(tf.abs(filterGrad)).dataSync()[0]).toBeGreaterThan(0);
    const stepGrad = grads[model.quantizerVariables[0].name];
    expect(tf.sum(tf.abs(stepGrad)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose(grads);
    model.dispose();
  });

  it('min/max QAT: no trained quantizer parameters, EMA input ranges as state, weights on the grid', () => {
    const base = new TinyNet(5);
    const model = new QuantizedClassifier(base, { weightBits: 3, activationBits: 4, quantizer: 'minmax' });
    expect(model.quantizerVariables).toHaveLength(0);
    expect(model.stateVariables).toHaveLength(4); // conv2 and dense1: range_min, range_max
    tf.tidy(() => void model.forward(images(), TRAIN));
    expect(Array.from(model.stateVariables[1].dataSync())[0]).toBeGreaterThan(0); // conv2 input max
    expect(verifyWeightLevels(model).ok).toBe(true);
    model.dispose();
  });

  it('validates its config and removes its interceptors on dispose', () => {
    expect(() => new QuantizedClassifier(new TinyNet(0), { weightBits: 1, activationBits: 4 })).toThrow(BitWidthError);
    expect(() => new QuantizedClassifier(new TinyNet(0), { weightBits: 4, activationBits: 9 })).toThrow(/^activationBits: /);
    expect(
      () => new QuantizedClassifier(new TinyNet(0), { weightBits: 4, activationBits: 4, fullPrecisionLayers: ['stem'] }),
    ).toThrow(/unknown layer 'stem'; the model's layers are conv1, conv2, dense1, dense2/);
    const base = new TinyNet(0);
    const model = new QuantizedClassifier(base, { weightBits: 4, activationBits: 4 });
    expect(() => new QuantizedClassifier(base, { weightBits: 4, activationBits: 4 })).toThrow(/already intercepted/);
    expect(Object.prototype.hasOwnProperty.call(base.conv2, 'apply')).toBe(true);
    model.dispose();
    expect(Object.prototype.hasOwnProperty.call(base.conv2, 'apply')).toBe(false);
  });
});

describe('layer discovery in classification architectures', () => {
  it.each(['resnet-small', 'wrn-10-1', 'pyramidnet-8-4', 'mobilenetv1-0.25'])('%s: every conv/dense is found, stem and head kept', (name) => {
    const model = new QuantizedClassifier(createModel(name, { numClasses: 10, inputChannels: 3, seed: 0 }), {
      weightBits: 4,
      activationBits: 4,
    });
    const weights = model.base.trainableVariables.map(variableName).filter((n) => /\/(filter|kernel)$/.test(n));
    expect(model.quantizedLayers.length + model.fullPrecisionLayers.length).toBe(weights.length);
    expect(model.fullPrecisionLayers).toEqual(['stem/conv', 'head']);
    for (const layer of model.quantizedLayers) {
      const expectedAxis = layer.kind === 'depthwiseConv' ? 2 : layer.kind === 'conv' ? 3 : 1;
      expect(layer.channelAxis).toBe(expectedAxis);
    }
    if (name.startsWith('mobilenet')) expect(model.quantizedLayers.some((l) => l.kind === 'depthwiseConv')).toBe(true);
    model.dispose();
  });
});

it("resolves 'auto' activation grids per layer: signed for PyramidNet's BN→conv inputs, unsigned after ReLU", () => {
  const model = new QuantizedClassifier(createModel('pyramidnet-8-4', { numClasses: 3, inputChannels: 1, seed: 0 }), {
    weightBits: 4,
    activationBits: 4,
  });
  tf.tidy(() => void model.forward(tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D, TRAIN));
  const signedness = Object.fromEntries(
    model.quantizedLayers.map((l) => [l.name, (l.quantizers.input as LsqQuantizer).integerRange?.signed]),
  );
  // BasicUnit: conv1 sees BN(x) (signed), conv2 sees ReLU(BN(·)) (unsigned)
  expect(signedness['stage1/unit0/conv1']).toBe(true);
  expect(signedness['stage1/unit0/conv2']).toBe(false);
  model.dispose();
});
