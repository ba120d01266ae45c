import * as tf from '@tensorflow/tfjs-core';
import {
  convOutShape,
  describeConv,
  expectClose,
  expectWasmMatchesCpu,
  randInt,
  randomConvCases,
  randomValues,
  seededRandom,
  useBackend,
  valuesOn,
  type ConvCase,
} from './test-helpers';
import { useNativeInputGradient } from './native/native-input-gradient';

/** Strides and dilations are drawn independently: the composed conv runs at stride 1, so any combination works. */
function randomCases(seed: number, count: number): ConvCase[] {
  return randomConvCases(seed, count, { maxChannels: 4, dilations: 0.4 });
}

/** Random cases with strides 2–3 and no dilation: the sub-pixel path, sizes multiple of the stride or not. */
function stridedUndilatedCases(seed: number, count: number): ConvCase[] {
  const random = seededRandom(seed);
  return randomCases(seed, 3 * count)
    .map((c) => ({ ...c, dilations: [1, 1] as [number, number], strides: [randInt(random, 2, 3), randInt(random, 2, 3)] as [number, number] }))
    .filter((c) => convOutShape(c)[1] >= 1 && convOutShape(c)[2] >= 1)
    .slice(0, count);
}

/**
 * The input gradient on `backend`. tfjs' Conv2DBackpropInput has no dilations attribute (tfjs-backend-cpu
 * ignores one), so the cpu reference for a dilated case runs undilated with the zero-dilated filter.
 */
function gradient(c: ConvCase, seed: number, backend: 'cpu' | 'wasm') {
  return () => {
    const random = seededRandom(seed);
    const dyShape = convOutShape(c);
    const dy = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(dyShape)), dyShape);
    const filterValues = randomValues(random, tf.util.sizeFromShape(c.filterShape));
    const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode, inputShape: c.inputShape, dataFormat: 'NHWC' };
    const [dh, dw] = c.dilations;
    if (backend === 'wasm' || (dh === 1 && dw === 1)) {
      const filter = tf.tensor4d(filterValues, c.filterShape);
      return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter }, { ...attrs, dilations: c.dilations } as never);
    }
    const [kh, kw, ci, co] = c.filterShape;
    const dilated = tf.buffer([(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co]);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let k = 0; k < ci * co; k++) dilated.set(filterValues[(i * kw + j) * ci * co + k]!, i * dh, j * dw, Math.floor(k / co), k % co);
    return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter: dilated.toTensor() }, attrs as never);
  };
}

async function expectMatchesCpu(c: ConvCase, seed: number): Promise<void> {
  const [expected] = await valuesOn('cpu', gradient(c, seed, 'cpu'));
  const [actual] = await valuesOn('wasm', gradient(c, seed, 'wasm'));
  expectClose(actual!, expected!, 1e-4, describeConv(c));
}

describe('Conv2DBackpropInput on wasm (composed, replacing the built-in)', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(11, 60).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
    await expectMatchesCpu(c, 300 + i);
  });

  it('matches cpu where ceil rounding reads past the explicit padding', async () => {
    const c: ConvCase = { inputShape: [2, 7, 6, 2], filterShape: [3, 2, 2, 3], strides: [3, 2], dilations: [1, 1], pad: [[0, 0], [1, 0], [0, 2], [0, 0]], dimRoundingMode: 'ceil' };
    await expectMatchesCpu(c, 1);
  });

  it.each([10, 7])('matches cpu on the shapes of a strided ResNet layer (3×3 and 1×1, stride 2, size %i)', async (size) => {
    const inputShape: ConvCase['inputShape'] = [3, size, size, 8];
    await expectMatchesCpu({ inputShape, filterShape: [3, 3, 8, 16], strides: [2, 2], dilations: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] }, 2);
    await expectMatchesCpu({ inputShape, filterShape: [1, 1, 8, 16], strides: [2, 2], dilations: [1, 1], pad: 'valid' }, 3);
    await expectMatchesCpu({ inputShape, filterShape: [3, 3, 8, 16], strides: [2, 2], dilations: [1, 1], pad: 'same' }, 4);
  });

  it.each(stridedUndilatedCases(12, 30).map((c, i) => [i, c] as const))('matches cpu, random strided undilated case %i (native phases)', async (i, c) => {
    await expectMatchesCpu(c, 700 + i);
  });

  /** Random undilated cases with 8–20 input channels (the native kernel's range), any strides 1–3 and padding. */
  const nativeCases = randomConvCases(37, 24, {
    maxChannels: 20,
    dilations: 'never',
    adjust: (c, random) => {
      const channels = randInt(random, 8, 20);
      c.inputShape[3] = channels;
      c.filterShape[2] = channels;
    },
  });

  it.each(nativeCases.map((c, i) => [i, c] as const))(
    'matches cpu with 8–20 input channels (native kernel phases, tiles and remainders), random case %i',
    async (i, c) => {
      await expectMatchesCpu(c, 900 + i);
    },
  );

  describe('the composed XNNPACK form, where the native kernel cannot run', () => {
    let previous = true;
    beforeAll(() => {
      previous = useNativeInputGradient(false);
    });
    afterAll(() => useNativeInputGradient(previous));

    it.each(randomCases(11, 20).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
      await expectMatchesCpu(c, 300 + i);
    });

    it.each(stridedUndilatedCases(12, 15).map((c, i) => [i, c] as const))('matches cpu, random strided undilated case %i (sub-pixel form)', async (i, c) => {
      await expectMatchesCpu(c, 700 + i);
    });
  });

  it('matches the input gradient of conv2d and the output of conv2dTranspose taken on cpu', async () => {
    await expectWasmMatchesCpu(() => {
      const random = seededRandom(5);
      const x = tf.tensor4d(randomValues(random, 3 * 9 * 8 * 3), [3, 9, 8, 3]);
      const filter = tf.tensor4d(randomValues(random, 3 * 3 * 3 * 4), [3, 3, 3, 4]);
      const weights = tf.tensor4d(randomValues(random, 3 * 5 * 4 * 4), [3, 5, 4, 4]);
      const [dx] = tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, filter, 2, 'same'), weights)))([x]);
      const transposed = tf.conv2dTranspose(weights, filter, [3, 9, 8, 3], 2, 'same');
      return [dx!, transposed];
    });
  });

  it('runs NCHW through the kernel it replaced', async () => {
    await expectWasmMatchesCpu(() => {
      const random = seededRandom(6);
      const dy = tf.tensor4d(randomValues(random, 2 * 4 * 3 * 3), [2, 4, 3, 3]);
      const filter = tf.tensor4d(randomValues(random, 3 * 3 * 2 * 4), [3, 3, 2, 4]);
      return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter }, {
        strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 2, 6, 5],
      } as never);
    });
  });

  it('rejects a dy of the wrong shape with the kernel name', async () => {
    await useBackend('wasm');
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [1, 4, 4, 2] };
    expect(() =>
      tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: tf.zeros([1, 3, 3, 1]), filter: tf.zeros([3, 3, 2, 1]) }, attrs as never),
    ).toThrow(/Conv2DBackpropInput .*dy has shape \[1, 3, 3, 1\], expected \[1, 2, 2, 1\]/);
  });
});
