import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { variableName } from '@ausam/core';
import type { ModelInit } from './classifier-model';
import { createModel } from './factory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest |value| of the model's variable registered as `name`. */
function maxAbs(name: string, init?: ModelInit): number {
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1, init });
  const variable = model.trainableVariables.find((v) => variableName(v) === name)!;
  const value = tf.max(tf.abs(variable)).dataSync()[0];
  model.dispose();
  return value;
}

describe('classification model initialisation', () => {
  // stage3/block0/conv2: 3·3·64 = 576 fan-in, 36,864 values.
  const bound = 1 / Math.sqrt(576);

  it("defaults to PyTorch's nn.Conv2d init, U(±1/√fan-in)", () => {
    const value = maxAbs('stage3/block0/conv2/filter');
    expect(value).toBeLessThanOrEqual(bound);
    expect(value).toBeGreaterThan(0.99 * bound);
  });

  it("keeps He-normal selectable with init: 'he-normal'", () => {
    // N(0, 2/576) exceeds 1/√576 in about 48% of draws: the largest is several bounds out.
    expect(maxAbs('stage3/block0/conv2/filter', 'he-normal')).toBeGreaterThan(3 * bound);
  });

  it('rejects an unknown init', () => {
    expect(() => createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1, init: 'xavier' as never })).toThrow(
      /init must be one of pytorch, he-normal, he-normal-fan-out, authors; found 'xavier'/,
    );
  });
});

/** Sample std of a variable's values (mean removed). */
function std(model: { trainableVariables: readonly tf.Variable[] }, name: string): number {
  const variable = model.trainableVariables.find((v) => variableName(v) === name);
  if (!variable) throw new Error(`no variable ${name}`);
  const values = Array.from(variable.dataSync());
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

describe("init: 'authors' (ajiaaa/AUSAM's model files)", () => {
  it('WRN: He-normal fan-in convs and a zero linear layer, so the first logits are exactly zero', () => {
    const model = createModel('wrn-16-4-ausam', { numClasses: 10, inputChannels: 3, seed: 2, init: 'authors' });
    // group3/block1/conv2: 3·3·256 fan-in, 589,824 values.
    expect(std(model, 'group3/block1/conv2/filter') / Math.sqrt(2 / (9 * 256))).toBeCloseTo(1, 2);
    for (const name of ['head/kernel', 'head/bias']) {
      expect(tf.max(tf.abs(model.trainableVariables.find((v) => variableName(v) === name)!)).dataSync()[0]).toBe(0);
    }
    const logits = model.forward(tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D, { training: false, updateStatistics: false });
    expect(Array.from(logits.dataSync())).toEqual(new Array(20).fill(0));
    model.dispose();
  });

  it('PyramidNet: convs N(0, 2/(k²·out)) (fan-out), the linear layer at nn.Linear\'s default', () => {
    const model = createModel('pyramidnet-20-48', { numClasses: 10, inputChannels: 3, seed: 2, init: 'authors' });
    // stage3/unit2: the last unit, 16 + 48 = 64 channels; conv2 is 64 → 64, fan-out 3·3·64.
    expect(std(model, 'stage3/unit2/conv2/filter') / Math.sqrt(2 / (9 * 64))).toBeCloseTo(1, 1);
    // stage1/unit0/conv1: 16 → round(16 + 48/9) = 21 channels, fan-out 3·3·21 against fan-in 3·3·16.
    expect(std(model, 'stage1/unit0/conv1/filter') / Math.sqrt(2 / (9 * 21))).toBeCloseTo(1, 1);
    const head = model.trainableVariables.find((v) => variableName(v) === 'head/kernel')!;
    const headMax = tf.max(tf.abs(head)).dataSync()[0];
    expect(headMax).toBeGreaterThan(0);
    expect(headMax).toBeLessThanOrEqual(1 / Math.sqrt(64));
    model.dispose();
  });

  it('is refused, naming the model, for architectures the authors did not train', () => {
    expect(() => createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1, init: 'authors' })).toThrow(
      /model resnet-small: ResNet-8.*init 'authors' exists only for the models ajiaaa\/AUSAM trains/,
    );
  });
});
