import * as tf from '@tensorflow/tfjs-core';
import { describeConv, expectClose, randInt, randomConvCases, randomValues, seededRandom, useBackend, valuesOn, type ConvCase } from './test-helpers';
import { displacedWasmKernels } from './index';
import { nativeVariant } from './native/build-variant';
import { nativeConvForwardInUse, useNativeConvForward } from './native/native-conv-forward';

/** conv2d of seeded random `x` and filter of case `c`. */
function forward(c: ConvCase, seed: number) {
  return () => {
    const random = seededRandom(seed);
    const x = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(c.inputShape)), c.inputShape);
    const filter = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(c.filterShape)), c.filterShape);
    return tf.conv2d(x, filter, c.strides, c.pad as never, 'NHWC', c.dilations, c.dimRoundingMode);
  };
}

async function expectMatchesCpu(c: ConvCase, seed: number): Promise<void> {
  const [expected] = await valuesOn('cpu', forward(c, seed));
  const [actual] = await valuesOn('wasm', forward(c, seed));
  expectClose(actual!, expected!, 1e-5, describeConv(c));
}

/** Undilated cases with 8–20 channels in and out and filters larger than 1×1 (the native kernel's range), strides 1–3, every padding mode. */
const nativeCases = randomConvCases(41, 24, {
  maxChannels: 20,
  dilations: 'never',
  adjust: (c, random) => {
    const channels = randInt(random, 8, 20);
    c.inputShape[3] = channels;
    c.filterShape[2] = channels;
    c.filterShape[3] = randInt(random, 8, 20);
    if (c.filterShape[0] * c.filterShape[1] === 1) c.filterShape[1] = 2;
  },
});

/** The same output on wasm with the native kernel and with the XNNPACK kernel it displaced. */
async function nativeAndXnnpack(build: () => tf.Tensor): Promise<[number[], number[]]> {
  const [native] = await valuesOn('wasm', build);
  const previous = useNativeConvForward(false);
  try {
    const [xnnpack] = await valuesOn('wasm', build);
    return [native!, xnnpack!];
  } finally {
    useNativeConvForward(previous);
  }
}

describe('wasm Conv2D (core’s native forward convolution)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('runs the native kernel here, and keeps the displaced XNNPACK kernel as the fallback', () => {
    expect(nativeConvForwardInUse()).toBe(true);
    expect(displacedWasmKernels.get(tf.Conv2D)).toBeDefined();
  });

  it.each(nativeCases.map((c, i) => [i, c] as const))('matches cpu with 8–20 channels (tiles, remainder columns and outputs), random case %i', async (i, c) => {
    await expectMatchesCpu(c, 500 + i);
  });

  /** Cases the native kernel leaves to XNNPACK: an RGB stem, fewer than 8 outputs, a dilated conv, a 1×1 filter. */
  const fallbackCases: ConvCase[] = [
    { inputShape: [2, 9, 8, 16], filterShape: [1, 1, 16, 32], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
    { inputShape: [2, 9, 8, 3], filterShape: [3, 3, 3, 16], strides: [1, 1], dilations: [1, 1], pad: 'same' },
    { inputShape: [2, 9, 8, 12], filterShape: [3, 3, 12, 4], strides: [2, 2], dilations: [1, 1], pad: 'same' },
    { inputShape: [2, 9, 8, 12], filterShape: [3, 3, 12, 10], strides: [1, 1], dilations: [2, 2], pad: 'valid' },
  ];

  it.each(fallbackCases.map((c, i) => [i, c] as const))('routes case %i it does not cover to the displaced kernel, which matches cpu', async (i, c) => {
    const [routed, displaced] = await nativeAndXnnpack(forward(c, 600 + i));
    expect(routed).toEqual(displaced);
    await expectMatchesCpu(c, 600 + i);
  });

  it('gives XNNPACK’s values on ResNet-20’s layer shapes (the same summation order; the fused build rounds each multiply-add once)', async () => {
    const layers: ConvCase[] = [
      { inputShape: [4, 32, 32, 16], filterShape: [3, 3, 16, 16], strides: [1, 1], dilations: [1, 1], pad: 'same' },
      { inputShape: [4, 32, 32, 16], filterShape: [3, 3, 16, 32], strides: [2, 2], dilations: [1, 1], pad: 'same' },
      { inputShape: [4, 16, 16, 32], filterShape: [3, 3, 32, 64], strides: [2, 2], dilations: [1, 1], pad: 'same' },
      { inputShape: [4, 8, 8, 64], filterShape: [3, 3, 64, 64], strides: [1, 1], dilations: [1, 1], pad: 'same' },
    ];
    for (const [i, c] of layers.entries()) {
      const [native, xnnpack] = await nativeAndXnnpack(forward(c, 800 + i));
      if (nativeVariant() === 'simd128') expect(native).toEqual(xnnpack);
      else expectClose(native, xnnpack, 1e-6, describeConv(c));
    }
  });

  it('matches cpu in the gradients of a conv2d layer (forward native, both gradients native)', async () => {
    const build = () => {
      const random = seededRandom(9);
      const x = tf.tensor4d(randomValues(random, 2 * 9 * 7 * 8), [2, 9, 7, 8]);
      const filter = tf.tensor4d(randomValues(random, 3 * 3 * 8 * 12), [3, 3, 8, 12]);
      const weights = tf.tensor4d(randomValues(random, 2 * 5 * 4 * 12), [2, 5, 4, 12]);
      const f = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 2, 'same'), weights));
      return [tf.conv2d(x, filter, 2, 'same'), ...tf.grads(f)([x, filter])];
    };
    const expected = await valuesOn('cpu', build);
    const actual = await valuesOn('wasm', build);
    actual.forEach((values, i) => expectClose(values, expected[i]!, 1e-5, `output ${i}`));
  });

  it('runs NCHW through the kernel it replaced (which refuses it, as before)', async () => {
    await useBackend('wasm');
    const random = seededRandom(3);
    const x = tf.tensor4d(randomValues(random, 2 * 8 * 5 * 5), [2, 8, 5, 5]);
    const filter = tf.tensor4d(randomValues(random, 3 * 3 * 8 * 8), [3, 3, 8, 8]);
    const previous = useNativeConvForward(false);
    let displacedError = '';
    try {
      tf.conv2d(x, filter, 1, 'same', 'NCHW').dispose();
    } catch (error) {
      displacedError = String(error);
    } finally {
      useNativeConvForward(previous);
    }
    let coreError = '';
    try {
      tf.conv2d(x, filter, 1, 'same', 'NCHW').dispose();
    } catch (error) {
      coreError = String(error);
    }
    expect(coreError).toBe(displacedError);
    tf.dispose([x, filter]);
  });
});
