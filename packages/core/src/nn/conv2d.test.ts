import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../random/rng';
import { Conv2d } from './conv2d';
import { ParameterRegistry } from './parameter-registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function statistics(t: tf.Tensor): { std: number; maxAbs: number } {
  const values = Array.from(t.dataSync());
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { std, maxAbs: values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
}

describe('Conv2d initialisation', () => {
  // fan-in 3·3·32 = 288; 36,864 filter values, so the sample std is within ~1% of the true one.
  const options = { inChannels: 32, outChannels: 128, kernelSize: 3, bias: true };
  const fanIn = 288;

  it("'pytorch' draws filter and bias from U(±1/√fan-in) like nn.Conv2d", () => {
    const registry = new ParameterRegistry(new Rng(1));
    const conv = new Conv2d(registry, 'c', { ...options, init: 'pytorch' });
    const bound = 1 / Math.sqrt(fanIn);
    const filter = statistics(conv.filter);
    expect(filter.maxAbs).toBeLessThanOrEqual(bound);
    expect(filter.std).toBeCloseTo(bound / Math.sqrt(3), 3);
    const bias = statistics(conv.bias!);
    expect(bias.maxAbs).toBeLessThanOrEqual(bound);
    expect(bias.std).toBeGreaterThan(0);
    registry.dispose();
  });

  it("'he-normal' (the default) draws N(0, 2/fan-in) filters and zero biases", () => {
    const registry = new ParameterRegistry(new Rng(1));
    const conv = new Conv2d(registry, 'c', options);
    expect(statistics(conv.filter).std / Math.sqrt(2 / fanIn)).toBeCloseTo(1, 1);
    expect(statistics(conv.bias!).maxAbs).toBe(0);
    registry.dispose();
  });

  it("'he-normal-fan-out' draws N(0, 2/(k·k·out)) filters and zero biases, as PyramidNet's reference code", () => {
    const registry = new ParameterRegistry(new Rng(1));
    const conv = new Conv2d(registry, 'c', { ...options, init: 'he-normal-fan-out' });
    // fan-out 3·3·128 = 1152, four times the fan-in here, so the std is half He-normal's.
    expect(statistics(conv.filter).std / Math.sqrt(2 / 1152)).toBeCloseTo(1, 1);
    expect(statistics(conv.bias!).maxAbs).toBe(0);
    registry.dispose();
  });

  it('depthwise filters use fan-in k·k, as PyTorch does for groups = channels', () => {
    const registry = new ParameterRegistry(new Rng(1));
    const conv = new Conv2d(registry, 'd', { inChannels: 512, outChannels: 512, kernelSize: 3, depthwise: true, init: 'pytorch' });
    expect(statistics(conv.filter).maxAbs).toBeLessThanOrEqual(1 / 3);
    expect(statistics(conv.filter).maxAbs).toBeGreaterThan(0.3);
    registry.dispose();
  });

  it('rejects an unknown init, naming the layer', () => {
    const registry = new ParameterRegistry(new Rng(1));
    expect(() => new Conv2d(registry, 'x', { ...options, init: 'glorot' as never })).toThrow(/Conv2d x: init must be/);
    registry.dispose();
  });
});
