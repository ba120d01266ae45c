import * as tf from '@tensorflow/tfjs-core';
import {
  describePad,
  expectClose,
  randInt,
  randomPadding,
  randomValues,
  seededRandom,
  useBackend,
  valuesOn,
  type ConvPad,
} from './test-helpers';

interface Case {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function outShape(c: Case): [number, number, number, number] {
  return tf.backend_util.computeConv2DInfo(c.inputShape, c.filterShape, c.strides, c.dilations, c.pad, c.dimRoundingMode, true)
    .outShape;
}

/** Strides and dilations are drawn independently: unlike the filter gradient, any combination works. */
function randomCases(seed: number, count: number): Case[] {
  const random = seededRandom(seed);
  const cases: Case[] = [];
  while (cases.length < count) {
    const c: Case = {
      inputShape: [randInt(random, 1, 4), randInt(random, 2, 9), randInt(random, 2, 9), randInt(random, 1, 3)],
      filterShape: [randInt(random, 1, 4), randInt(random, 1, 4), 0, randInt(random, 1, 3)],
      strides: [randInt(random, 1, 3), randInt(random, 1, 3)],
      dilations: random() < 0.5 ? [1, 1] : [randInt(random, 1, 3), randInt(random, 1, 3)],
      ...randomPadding(random),
    };
    c.filterShape[2] = c.inputShape[3];
    const [, oh, ow] = outShape(c);
    if (oh >= 1 && ow >= 1) cases.push(c);
  }
  return cases;
}

/**
 * The input gradient on `backend`. tfjs-backend-cpu's depthwise backprop kernels ignore dilations,
 * so the cpu reference for a dilated case runs undilated with the zero-dilated filter.
 */
function gradient(c: Case, seed: number, backend: 'cpu' | 'wasm') {
  return () => {
    const random = seededRandom(seed);
    const dyShape = outShape(c);
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
    const label = `in ${c.inputShape} f ${c.filterShape} s ${c.strides} d ${c.dilations} ${describePad(c.pad, c.dimRoundingMode)}`;
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
