import * as tf from '@tensorflow/tfjs-core';
import {
  convOutShape,
  describeConv,
  expectWasmMatchesCpu,
  randomConvCases,
  randomValues,
  seededRandom,
  useBackend,
  type ConvCase,
} from './test-helpers';
import { useNativeFilterGradient } from './native/native-filter-gradient';

function randomCases(seed: number, count: number, pointwise = false): ConvCase[] {
  return randomConvCases(seed, count, {
    maxChannels: 3,
    dilations: 'never',
    adjust: (c, random) => {
      if (!pointwise) return;
      c.filterShape[0] = 1;
      c.filterShape[1] = 1;
      if (random() < 0.3) Object.assign(c, { strides: [1, 1], pad: 'valid', dimRoundingMode: undefined });
    },
  });
}

function run(c: ConvCase, seed: number) {
  return () => {
    const random = seededRandom(seed);
    const dyShape = convOutShape(c);
    const x = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(c.inputShape)), c.inputShape);
    const dy = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(dyShape)), dyShape);
    const { inputShape: _, ...attrs } = c;
    return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, dataFormat: 'NHWC' } as never);
  };
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(7, 40).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
    await expectWasmMatchesCpu(run(c, 100 + i), 1e-4, describeConv(c));
  });

  it.each(randomCases(17, 20, true).map((c, i) => [i, c] as const))('matches cpu, random 1×1 case %i (matrix-product form)', async (i, c) => {
    await expectWasmMatchesCpu(run(c, 200 + i), 1e-4, describeConv(c));
  });

  it.each(randomConvCases(27, 12, { maxChannels: 20, dilations: 'never' }).map((c, i) => [i, c] as const))(
    'matches cpu with up to 20 channels (native kernel tiles and remainders), random case %i',
    async (i, c) => {
      await expectWasmMatchesCpu(run(c, 300 + i), 1e-4, describeConv(c));
    },
  );

  describe('the transposed-conv form, where the native kernel cannot run', () => {
    let previous = true;
    beforeAll(() => {
      previous = useNativeFilterGradient(false);
    });
    afterAll(() => useNativeFilterGradient(previous));

    it.each(randomCases(7, 20).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
      await expectWasmMatchesCpu(run(c, 100 + i), 1e-4, describeConv(c));
    });
  });

  it('matches cpu where ceil rounding reads past the explicit padding', async () => {
    const c: ConvCase = { inputShape: [2, 7, 6, 2], filterShape: [3, 2, 2, 3], strides: [3, 2], dilations: [1, 1], pad: [[0, 0], [1, 0], [0, 2], [0, 0]], dimRoundingMode: 'ceil' };
    await expectWasmMatchesCpu(run(c, 1));
  });

  it('matches the gradient of conv2d taken on cpu', async () => {
    const build = () => {
      const random = seededRandom(3);
      const x = tf.tensor4d(randomValues(random, 3 * 8 * 8 * 2), [3, 8, 8, 2]);
      const filter = tf.tensor4d(randomValues(random, 3 * 3 * 2 * 4), [3, 3, 2, 4]);
      const weights = tf.tensor4d(randomValues(random, 3 * 4 * 4 * 4), [3, 4, 4, 4]);
      return tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 2, 'same'), weights)),
      )([x, filter]);
    };
    await expectWasmMatchesCpu(build);
  });

  it('rejects NCHW and a dy of the wrong shape with the kernel name', async () => {
    await useBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const attrs = { strides: 1, pad: 'valid', filterShape: [3, 3, 2, 1] };
    expect(() =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: tf.zeros([1, 2, 2, 1]) }, { ...attrs, dataFormat: 'NCHW' } as never),
    ).toThrow(/Conv2DBackpropFilter .*dataFormat 'NCHW' is not supported/);
    expect(() =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: tf.zeros([1, 3, 3, 1]) }, { ...attrs, dataFormat: 'NHWC' } as never),
    ).toThrow(/Conv2DBackpropFilter .*dy has shape \[1, 3, 3, 1\], expected \[1, 2, 2, 1\]/);
  });
});
