import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend, variableName, type ForwardMode } from '@ausam/core';
import type { ClassifierModel } from '../models/classifier-model';
import { createModel } from '../models/factory';
import { cifarResNet } from '../models/resnet';
import { crossEntropy } from '../task/classification-task';
import { loadPyTorchStateDict, loadPyTorchWeightsFile, pytorchStateDict, savePyTorchWeightsFile } from './pytorch-state-dict';
import { readSafetensors, writeSafetensors, type TensorMap } from './safetensors';
import { WeightImportError } from './weight-import-error';

// Made by PyTorch: tools/parity/reference/make_fixture.py (state_dict() of the reference modules).
const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test-fixtures', 'pytorch-weights');
const EVAL: ForwardMode = { training: false, updateStatistics: false };
const TRAIN: ForwardMode = { training: true, updateStatistics: false };
const options = { numClasses: 5, inputChannels: 3, seed: 7 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function fixture(name: string): TensorMap {
  return readSafetensors(fs.readFileSync(path.join(FIXTURES, `${name}.safetensors`)), name);
}

function maxDifference(a: tf.Tensor, b: Float32Array): number {
  const values = a.dataSync() as Float32Array;
  return values.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('loadPyTorchStateDict on state dicts saved by PyTorch', () => {
  it.each([
    ['resnet8-w4', () => cifarResNet(options, 8, 4)],
    ['wrn-10-1', () => createModel('wrn-10-1', options)],
    ['pyramidnet-8-4', () => createModel('pyramidnet-8-4', options)],
  ] as const)('%s gives PyTorch\'s logits in eval and train mode', (name, build) => {
    const model: ClassifierModel = build();
    loadPyTorchWeightsFile(model, path.join(FIXTURES, `${name}.safetensors`));
    const expected = fixture(`${name}.expected`);
    const input = expected.get('input_nhwc')!;
    const images = tf.tensor4d(input.data, input.shape as [number, number, number, number]);
    const evalLogits = model.forward(images, EVAL);
    const trainLogits = model.forward(images, TRAIN);
    // float32 with different summation orders: ~1e-6 of logits of order 1.
    expect(maxDifference(evalLogits, expected.get('logits_eval')!.data)).toBeLessThan(1e-4);
    expect(maxDifference(trainLogits, expected.get('logits_train')!.data)).toBeLessThan(1e-4);
    tf.dispose([images, evalLogits, trainLogits]);
    model.dispose();
  });
});

describe('gradients after import', () => {
  it.each(['cpu', 'wasm'] as const)("equal PyTorch's on %s (resnet8-w4, train mode, mean cross-entropy)", async (backend) => {
    await selectBackend({ force: backend, log: () => {} });
    const model = cifarResNet(options, 8, 4);
    loadPyTorchWeightsFile(model, path.join(FIXTURES, 'resnet8-w4.safetensors'));
    const expected = fixture('resnet8-w4.expected');
    const input = expected.get('input_nhwc')!;
    const images = tf.tensor4d(input.data, input.shape as [number, number, number, number]);
    const labels = tf.tensor1d(Int32Array.from(expected.get('labels')!.data), 'int32');
    const variables = model.trainableVariables as tf.Variable[];
    const { value, grads } = tf.variableGrads(() => tf.mean(crossEntropy(model.forward(images, TRAIN), labels)) as tf.Scalar, variables);
    expect(value.dataSync()[0]).toBeCloseTo(expected.get('loss_train')!.data[0], 5);
    const ours = pytorchStateDictOf(variables, grads);
    const mismatched = [...ours].flatMap(([key, ourGradient]) => {
      const reference = expected.get(`grad.${key}`)!.data;
      const scale = reference.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      const worst = ourGradient.reduce((m, g, i) => Math.max(m, Math.abs(g - reference[i])), 0);
      return worst <= 1e-4 * scale + 1e-7 ? [] : [`${key}: ${worst.toExponential(2)} of ${scale.toExponential(2)}`];
    });
    expect(mismatched).toEqual([]);
    tf.dispose([images, labels, value, grads]);
    model.dispose();
    await selectBackend({ force: 'cpu', log: () => {} });
  });
});

/** Gradients keyed and laid out like PyTorch's parameters (what the exporter does to the variables). */
function pytorchStateDictOf(variables: tf.Variable[], grads: tf.NamedTensorMap): Map<string, Float32Array> {
  const holders = variables.map((v) => Object.assign(tf.variable(grads[v.name], false, `grad-${v.name}`), { ausamName: variableName(v) }));
  const converted = pytorchStateDict({ trainableVariables: holders, stateVariables: [] });
  tf.dispose(holders);
  return new Map([...converted].map(([k, t]) => [k, t.data]));
}

describe('loadPyTorchStateDict errors', () => {
  const build = () => cifarResNet(options, 8, 4);

  it('names the first missing tensor, with the variable it was for, and leaves the model as it was', () => {
    const model = build();
    const before = model.trainableVariables.map((v) => v.dataSync().slice());
    const stateDict = fixture('resnet8-w4');
    stateDict.delete('stage2.block0.conv1.weight');
    stateDict.delete('head.bias');
    let error: unknown;
    try {
      loadPyTorchStateDict(model, stateDict, { source: 'resnet.safetensors' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightImportError);
    expect((error as WeightImportError).problem).toBe('missing');
    expect((error as Error).message).toBe(
      "resnet.safetensors: tensor 'stage2.block0.conv1.weight' (for stage2/block0/conv1/filter, shape [8, 4, 3, 3] in PyTorch's layout) is missing",
    );
    model.trainableVariables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(before[i])));
    model.dispose();
  });

  it('names a mis-shaped tensor with expected and found shapes', () => {
    const model = build();
    const stateDict = fixture('resnet8-w4');
    const head = stateDict.get('head.weight')!;
    stateDict.set('head.weight', { shape: [head.shape[1], head.shape[0]], data: head.data });
    expect(() => loadPyTorchStateDict(model, stateDict)).toThrow(
      "state dict: tensor 'head.weight' (for head/kernel) has shape [16, 5], expected [5, 16] in PyTorch's layout",
    );
    model.dispose();
  });

  it('rejects a tensor nothing takes unless strict is false, and ignores num_batches_tracked', () => {
    const model = build();
    const stateDict = fixture('resnet8-w4');
    expect([...stateDict.keys()].some((k) => k.endsWith('num_batches_tracked'))).toBe(true);
    stateDict.set('extra.weight', { shape: [1], data: new Float32Array([1]) });
    expect(() => loadPyTorchStateDict(model, stateDict)).toThrow(/'extra\.weight' matches no variable/);
    expect(() => loadPyTorchStateDict(model, stateDict, { strict: false })).not.toThrow();
    model.dispose();
  });

  it('maps other module names through rename', () => {
    const model = build();
    const renamed: TensorMap = new Map([...fixture('resnet8-w4')].map(([k, v]) => [`module.${k.replace(/^head\./, 'fc.')}`, v]));
    expect(() => loadPyTorchStateDict(model, renamed)).toThrow(/'stem\.conv\.weight'.*is missing/);
    loadPyTorchStateDict(model, renamed, { rename: (key) => `module.${key.replace(/^head\./, 'fc.')}` });
    const reference = build();
    loadPyTorchWeightsFile(reference, path.join(FIXTURES, 'resnet8-w4.safetensors'));
    model.trainableVariables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(reference.trainableVariables[i].dataSync())));
    model.dispose();
    reference.dispose();
  });
});

describe('pytorchStateDict round trip', () => {
  it.each(['resnet-small', 'wrn-10-1', 'pyramidnet-11-4-bottleneck', 'mobilenetv1-0.125'])(
    '%s: export → safetensors file → import into another seed restores every variable exactly',
    (name) => {
      const source = createModel(name, { ...options, seed: 1 });
      // Move the running statistics off their initial values so they are checked too.
      for (const v of source.stateVariables) v.assign(tf.tidy(() => tf.add(v, tf.randomUniform(v.shape, 0, 1, 'float32', 3))));
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-weights-')), 'model.safetensors');
      savePyTorchWeightsFile(source, file);
      const target = createModel(name, { ...options, seed: 2 });
      loadPyTorchWeightsFile(target, file);
      const all = (m: ClassifierModel) => [...m.trainableVariables, ...m.stateVariables];
      all(target).forEach((v, i) => {
        expect(variableName(v)).toBe(variableName(all(source)[i]));
        expect(Array.from(v.dataSync())).toEqual(Array.from(all(source)[i].dataSync()));
      });
      source.dispose();
      target.dispose();
      fs.rmSync(path.dirname(file), { recursive: true });
    },
  );

  it('lays tensors out as PyTorch does: OIHW filters, [C, 1, k, k] depthwise, [out, in] Linear, I64 num_batches_tracked', () => {
    const model = createModel('mobilenetv1-0.125', { ...options, inputChannels: 1 });
    const stateDict = readSafetensors(writeSafetensors(pytorchStateDict(model)));
    expect(stateDict.get('stem.conv.weight')!.shape).toEqual([4, 1, 3, 3]);
    expect(stateDict.get('block1.depthwise.weight')!.shape).toEqual([4, 1, 3, 3]);
    expect(stateDict.get('block1.pointwise.weight')!.shape).toEqual([8, 4, 1, 1]);
    expect(stateDict.get('head.weight')!.shape).toEqual([5, 128]);
    expect(stateDict.get('block1.bn1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    // filter[h][w][i][o] here is weight[o][i][h][w] there.
    const filter = model.trainableVariables.find((v) => variableName(v) === 'block1/pointwise/filter')!;
    expect(stateDict.get('block1.pointwise.weight')!.data[3 * 4 + 2]).toBe(filter.dataSync()[2 * 8 + 3]);
    model.dispose();
  });
});
