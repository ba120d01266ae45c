import * as tf from '@tensorflow/tfjs-core';
import {
  convOutShape,
  describeConv,
  expectClose,
  expectWasmMatchesCpu,
  randomConvCases,
  randomValues,
  seededRandom,
  useBackend,
  valuesOn,
  type ConvCase,
} from './test-helpers';

/** Strided or dilated, never both: the kernel rejects strides > 1 with dilations > 1. */
function randomCases(seed: number, count: number): ConvCase[] {
  return randomConvCases(seed, count, { maxChannels: 3, depthwise: true, dilations: 'orStrides' });
}

/**
 * The gradient on `backend`. tfjs-backend-cpu's depthwise backprop kernels ignore dilations, so the
 * cpu reference for a dilated case is the undilated filter gradient for the zero-dilated filter
 * (same padding and output size), read at every d-th tap.
 */
function gradient(c: ConvCase, seed: number, backend: 'cpu' | 'wasm') {
  return () => {
    const random = seededRandom(seed);
    const dyShape = convOutShape(c, true);
    const x = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(c.inputShape)), c.inputShape);
    const dy = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(dyShape)), dyShape);
    const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode };
    const [dh, dw] = c.dilations;
    if (backend === 'wasm' || (dh === 1 && dw === 1)) {
      return tf.engine().runKernel<tf.Tensor>(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, {
        ...attrs,
        dilations: c.dilations,
        filterShape: c.filterShape,
      } as never);
    }
    const [kh, kw, ch, m] = c.filterShape;
    const dilatedShape = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ch, m];
    const dense = tf.engine().runKernel<tf.Tensor>(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, {
      ...attrs,
      dilations: 1,
      filterShape: dilatedShape,
    } as never);
    return tf.stridedSlice(dense, [0, 0, 0, 0], dilatedShape, [dh, dw, 1, 1]);
  };
}

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(11, 40).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
    const expected = await valuesOn('cpu', gradient(c, 200 + i, 'cpu'));
    const actual = await valuesOn('wasm', gradient(c, 200 + i, 'wasm'));
    const label = describeConv(c);
    expectClose(actual[0]!, expected[0]!, 1e-4, label);
  });

  it('matches the gradient of depthwiseConv2d taken on cpu (multiplier 3, stride 2)', async () => {
    await expectWasmMatchesCpu(() => {
      const random = seededRandom(5);
      const x = tf.tensor4d(randomValues(random, 2 * 9 * 7 * 2), [2, 9, 7, 2]);
      const filter = tf.tensor4d(randomValues(random, 3 * 3 * 2 * 3), [3, 3, 2, 3]);
      const weights = tf.tensor4d(randomValues(random, 2 * 5 * 4 * 6), [2, 5, 4, 6]);
      return tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
        tf.sum(tf.mul(tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 2, 'same'), weights)),
      )([x, filter]);
    });
  });

  it('rejects strides > 1 together with dilations > 1, naming the kernel', async () => {
    await useBackend('wasm');
    const run = () =>
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: tf.zeros([1, 8, 8, 1]), dy: tf.zeros([1, 4, 4, 1]) }, {
        strides: 2,
        dilations: 2,
        pad: 'same',
        filterShape: [3, 3, 1, 1],
      } as never);
    expect(run).toThrow(/DepthwiseConv2dNativeBackpropFilter .*strides \[2, 2\] > 1 together with dilations \[2, 2\] > 1/);
  });
});
