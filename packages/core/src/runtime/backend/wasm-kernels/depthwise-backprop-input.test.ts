import * as tf from '@tensorflow/tfjs-core';
import {
  convOutShape,
  describeConv,
  expectClose,
  randomConvCases,
  randomValues,
  seededRandom,
  useBackend,
  valuesOn,
  type ConvCase,
} from './test-helpers';

/** Strides and dilations are drawn independently: unlike the filter gradient, any combination works. */
function randomCases(seed: number, count: number): ConvCase[] {
  return randomConvCases(seed, count, { maxChannels: 3, depthwise: true, dilations: 0.5 });
}

/**
 * The input gradient on `backend`. tfjs-backend-cpu's depthwise backprop kernels ignore dilations,
 * so the cpu reference for a dilated case runs undilated with the zero-dilated filter.
 */
function gradient(c: ConvCase, seed: number, backend: 'cpu' | 'wasm') {
  return () => {
    const random = seededRandom(seed);
    const dyShape = convOutShape(c, true);
    const dy = tf.tensor4d(randomValues(random, tf.util.sizeFromShape(dyShape)), dyShape);
    const filterValues = randomValues(random, tf.util.sizeFromShape(c.filterShape));
    const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode, inputShape: c.inputShape };
    const [dh, dw] = c.dilations;
    if (backend === 'wasm' || (dh === 1 && dw === 1)) {
      const filter = tf.tensor4d(filterValues, c.filterShape);
      return tf.engine().runKernel<tf.Tensor>(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, {
        ...attrs,
        dilations: c.dilations,
      } as never);
    }
    const [kh, kw, ch, m] = c.filterShape;
    const dilatedShape: [number, number, number, number] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ch, m];
    const dilated = tf.buffer(dilatedShape);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let k = 0; k < ch * m; k++) dilated.set(filterValues[(i * kw + j) * ch * m + k]!, i * dh, j * dw, Math.floor(k / m), k % m);
    return tf.engine().runKernel<tf.Tensor>(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: dilated.toTensor() }, {
      ...attrs,
      dilations: 1,
    } as never);
  };
}

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(randomCases(13, 40).map((c, i) => [i, c] as const))('matches cpu, random case %i', async (i, c) => {
    const expected = await valuesOn('cpu', gradient(c, 300 + i, 'cpu'));
    const actual = await valuesOn('wasm', gradient(c, 300 + i, 'wasm'));
    const label = describeConv(c);
    expectClose(actual[0]!, expected[0]!, 1e-4, label);
  });

  it('rejects a dy of the wrong shape, naming the kernel', async () => {
    await useBackend('wasm');
    const run = () =>
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: tf.zeros([1, 5, 5, 2]), filter: tf.zeros([3, 3, 1, 2]) }, {
        strides: 2,
        dilations: 1,
        pad: 'same',
        inputShape: [1, 8, 8, 1],
      } as never);
    expect(run).toThrow(/DepthwiseConv2dNativeBackpropInput .*dy has shape \[1, 5, 5, 2\], expected \[1, 4, 4, 2\]/);
  });
});
