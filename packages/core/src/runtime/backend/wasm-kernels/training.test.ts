import * as tf from '@tensorflow/tfjs-core';
import { expectWasmMatchesCpu, randomValues, seededRandom, useBackend } from './test-helpers';

const shapes = {
  conv1: [3, 3, 3, 8],
  bias1: [8],
  depthwise: [3, 3, 8, 2],
  bias2: [16],
  conv3: [3, 3, 16, 8],
  bias3: [8],
  dense: [4 * 4 * 8, 5],
  bias4: [5],
} as const;
type Params = Record<keyof typeof shapes, tf.Variable>;

function makeParams(seed: number): Params {
  const random = seededRandom(seed);
  const entries = Object.entries(shapes).map(([key, shape]) => {
    const scale = shape.length === 1 ? 0.1 : 1 / Math.sqrt(tf.util.sizeFromShape([...shape].slice(0, -1)));
    const values = randomValues(random, tf.util.sizeFromShape([...shape])).map((v) => v * scale);
    return [key, tf.variable(tf.tensor(values, [...shape]))] as const;
  });
  return Object.fromEntries(entries) as Params;
}

function makeBatch(seed: number): { images: tf.Tensor4D; labels: tf.Tensor2D } {
  const random = seededRandom(seed);
  const images = tf.tensor4d(randomValues(random, 4 * 12 * 12 * 3), [4, 12, 12, 3]);
  const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 3, 4, 1], 'int32'), 5), 'float32') as tf.Tensor2D;
  return { images, labels };
}

/** conv 3×3/2 'same' → depthwise 3×3 ×2 'same' → conv 3×3 'valid' → dense, softmax cross-entropy. */
function loss(p: Params, images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const h1 = tf.relu(tf.add(tf.conv2d(images, p.conv1 as tf.Tensor4D, 2, 'same'), p.bias1));
  const h2 = tf.relu(tf.add(tf.depthwiseConv2d(h1 as tf.Tensor4D, p.depthwise as tf.Tensor4D, 1, 'same'), p.bias2));
  const h3 = tf.relu(tf.add(tf.conv2d(h2 as tf.Tensor4D, p.conv3 as tf.Tensor4D, 1, 'valid'), p.bias3));
  const logits = tf.add(tf.matMul(tf.reshape(h3, [4, -1]), p.dense as tf.Tensor2D), p.bias4);
  return softmaxCrossEntropy(labels, logits);
}

/**
 * Mean softmax cross-entropy from plain ops: tf.losses.softmaxCrossEntropy is a customGrad op, which
 * trips tfjs 4.22's kernel leak check on every backend when IS_TEST is on (as in jest.setup.js).
 */
function softmaxCrossEntropy(labels: tf.Tensor2D, logits: tf.Tensor): tf.Scalar {
  const shifted = tf.sub(logits, tf.max(logits, 1, true));
  const logProbabilities = tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, logProbabilities), 1))) as tf.Scalar;
}

describe('training a small CNN on wasm', () => {
  beforeAll(() => useBackend('wasm'));

  it('gives the same loss and variable gradients as cpu', async () => {
    await expectWasmMatchesCpu(() => {
      const params = makeParams(1);
      const { images, labels } = makeBatch(2);
      const { value, grads } = tf.variableGrads(() => loss(params, images, labels));
      const ordered = Object.values(params).map((v) => grads[v.name]!);
      tf.dispose(Object.values(params));
      return [value, ...ordered];
    });
  });

  it('gives the same input gradient as cpu through tf.grads', async () => {
    await expectWasmMatchesCpu(() => {
      const params = makeParams(3);
      const { images, labels } = makeBatch(4);
      const [dImages] = tf.grads((x: tf.Tensor) => loss(params, x as tf.Tensor4D, labels))([images]);
      tf.dispose(Object.values(params));
      return dImages!;
    });
  });

  it('leaks no tensors and no wasm buffers over repeated gradient steps', async () => {
    await useBackend('wasm');
    const params = makeParams(5);
    const { images, labels } = makeBatch(6);
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => loss(params, images, labels));
        for (const v of Object.values(params)) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.05)));
      });
    step();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 4; i++) {
      step();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
    }
    tf.dispose([...Object.values(params), images, labels]);
  });

  it('leaks nothing when each kernel runs on its own', async () => {
    await useBackend('wasm');
    const x = tf.ones([2, 6, 6, 3]);
    const runs: Array<() => tf.Tensor> = [
      () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: tf.ones([2, 3, 3, 4]) }, {
        strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4],
      } as never),
      () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: tf.ones([2, 3, 3, 4]), filter: tf.ones([3, 3, 3, 4]) }, {
        strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3],
      } as never),
      () => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: tf.ones([2, 3, 3, 6]) }, {
        strides: 2, dilations: 1, pad: 'same', filterShape: [3, 3, 3, 2],
      } as never),
      () => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: tf.ones([2, 3, 3, 6]), filter: tf.ones([3, 3, 3, 2]) }, {
        strides: 2, dilations: 1, pad: 'same', inputShape: [2, 6, 6, 3],
      } as never),
      () => tf.unsortedSegmentSum(x, tf.tensor1d([1, -1], 'int32'), 2),
    ];
    for (const run of runs) {
      const tensors = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds();
      tf.tidy(() => void run());
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
    }
    x.dispose();
  });
});
