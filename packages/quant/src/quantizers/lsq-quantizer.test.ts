import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ParameterRegistry, Rng } from '@ausam/core';
import { BitWidthError } from './errors';
import { LsqQuantizer } from './lsq-quantizer';
import { lsqGradScale } from './lsq';
import { distinctValuesPerChannel } from './distinct-values';

let registry: ParameterRegistry;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  registry = new ParameterRegistry(new Rng(0));
});
afterEach(() => registry.dispose());

describe('LsqQuantizer', () => {
  it('initialises each channel step to 2·mean|v|/sqrt(Qp) from the first tensor it sees', () => {
    const q = new LsqQuantizer(registry, 'w', { bits: 3, signed: true, role: 'weight', granularity: 'perChannel', channels: 2 });
    const weights = tf.tensor2d([
      [1, -4],
      [-3, 8],
    ]);
    expect(Array.from(q.step.dataSync())).toEqual([0, 0]); // not initialised yet
    q.quantize(weights);
    const [s0, s1] = Array.from(q.step.dataSync());
    expect(s0).toBeCloseTo((2 * 2) / Math.sqrt(3), 6);
    expect(s1).toBeCloseTo((2 * 6) / Math.sqrt(3), 6);
  });

  it.each([2, 3, 4])('per-channel %i-bit weights take at most 2^bits distinct values per output channel', (bits) => {
    const q = new LsqQuantizer(registry, `w${bits}`, { bits, signed: true, role: 'weight', granularity: 'perChannel', channels: 8 });
    const weights = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 7);
    const quantized = q.quantize(weights);
    const counts = distinctValuesPerChannel(quantized, -1);
    expect(counts).toHaveLength(8);
    for (const count of counts) expect(count).toBeLessThanOrEqual(2 ** bits);
    // and the grid is really used, not collapsed to a few values
    expect(Math.min(...counts)).toBeGreaterThan(2);
  });

  it("resolves signed: 'auto' from the first tensor and keeps the restored grid after a checkpoint", () => {
    const q = new LsqQuantizer(registry, 'a', { bits: 2, signed: 'auto', role: 'activation' });
    expect(q.integerRange).toBeUndefined();
    q.quantize(tf.tensor2d([[0, 1, 2]]));
    expect(q.integerRange).toEqual({ bits: 2, signed: false, qn: 0, qp: 3 });
    const negative = new LsqQuantizer(registry, 'b', { bits: 2, signed: 'auto', role: 'activation' });
    negative.quantize(tf.tensor2d([[-1, 1, 2]]));
    expect(negative.integerRange?.signed).toBe(true);
    // a fresh quantizer whose variables come from a checkpoint keeps step and signedness
    const other = new ParameterRegistry(new Rng(0));
    const restored = new LsqQuantizer(other, 'b', { bits: 2, signed: 'auto', role: 'activation' });
    restored.step.assign(negative.step);
    other.stateVariables[0].assign(registry.stateVariables[1]);
    restored.quantize(tf.tensor2d([[5, 6, 7]]));
    expect(restored.integerRange?.signed).toBe(true);
    expect(restored.step.dataSync()[0]).toBe(negative.step.dataSync()[0]);
    other.dispose();
  });

  it('scales the step gradient by g = 1/sqrt(features per sample · Qp) for activations', () => {
    const q = new LsqQuantizer(registry, 'a', { bits: 2, signed: false, role: 'activation' });
    q.step.assign(tf.tensor1d([0.5])); // as if restored: no data-driven init
    const x = tf.tensor2d([
      [0.2, 0.9, 3],
      [0.5, 1.1, -1],
    ]);
    // v/s = 0.4, 1.8, 6 | 1, 2.2, −2 → slopes round(v/s) − v/s = −0.4, 0.2, then Qp = 3 | 0, −0.2, then −Qn = 0
    const { grads } = tf.engine().gradients(() => q.quantize(x), [q.step], tf.onesLike(x));
    const expected = lsqGradScale(3, 3) * (-0.4 + 0.2 + 3 + 0 - 0.2 + 0);
    expect(grads[0].dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('rejects bad bit widths and per-channel without a channel count', () => {
    expect(() => new LsqQuantizer(registry, 'x', { bits: 1, signed: true, role: 'weight' })).toThrow(BitWidthError);
    expect(() => new LsqQuantizer(registry, 'y', { bits: 9, signed: 'auto', role: 'weight' })).toThrow(/y: bits: expected an integer in 2\.\.8, found 9/);
    expect(() => new LsqQuantizer(registry, 'z', { bits: 4, signed: true, role: 'weight', granularity: 'perChannel' })).toThrow(
      /needs channels/,
    );
  });

  it('leaks no tensors across quantize calls in a tidy', () => {
    const q = new LsqQuantizer(registry, 'w', { bits: 4, signed: true, role: 'weight', granularity: 'perChannel', channels: 3 });
    const w = tf.randomNormal([2, 3]);
    const quantizeAndDrop = () => tf.tidy(() => void q.quantize(w));
    quantizeAndDrop(); // initialises the step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) quantizeAndDrop();
    expect(tf.memory().numTensors).toBe(before);
  });
});
