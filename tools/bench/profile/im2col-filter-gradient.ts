/**
 * A measured alternative for `Conv2DBackpropFilter` on wasm (issue 14), not adopted: im2col by one
 * one-hot depthwise conv (channel multiplier kh·kw gives every tap of every input channel at once),
 * then one XNNPACK matrix product `dW = (dyᵀ · patches)ᵀ`. Prints, for each 3×3 layer shape of
 * resnet-small and ResNet-20 at batch 128, the CPU ms of core's kernel (transposed conv) and of the
 * im2col form, split into the patch extraction and the product, and the relative difference.
 *
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/profile/im2col-filter-gradient.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@ausam/core';
import { cpuMsPerCall, CONV_3X3_LAYERS, type Shape4 } from './conv-layers';

/** Every tap of every channel: [B, outH, outW, cin·taps], channel c·taps + t = x at tap t. */
function patches(x: tf.Tensor4D, filter: Shape4, stride: number): tf.Tensor4D {
  const [kh, kw, cin] = filter;
  return tf.tidy(() => {
    const oneHot = tf.tile(tf.reshape(tf.eye(kh * kw), [kh, kw, 1, kh * kw]), [1, 1, cin, 1]) as tf.Tensor4D;
    return tf.depthwiseConv2d(x, oneHot, stride, 'same');
  });
}

function im2colGradient(columns: tf.Tensor4D, dy: tf.Tensor4D, filter: Shape4): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter;
  return tf.tidy(() => {
    const rows = columns.shape[0] * columns.shape[1] * columns.shape[2];
    const dyT = tf.transpose(tf.reshape(dy, [rows, cout])) as tf.Tensor2D;
    const product = tf.matMul(dyT, tf.reshape(columns, [rows, cin * kh * kw]) as tf.Tensor2D);
    return tf.transpose(tf.reshape(product, [cout, cin, kh, kw]), [2, 3, 1, 0]) as tf.Tensor4D;
  });
}

async function main(): Promise<void> {
  await selectBackend({ force: 'wasm', log: () => {} });
  console.log('| x | filter | stride | core ms | im2col ms | of which patches | of which product | im2col ÷ core | max rel. difference |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const { x: xShape, filter, stride } of CONV_3X3_LAYERS) {
    const x = tf.randomNormal(xShape) as tf.Tensor4D;
    const dy = tf.randomNormal([xShape[0], Math.ceil(xShape[1] / stride), Math.ceil(xShape[2] / stride), filter[3]]) as tf.Tensor4D;
    const core = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', filterShape: filter } as never) as tf.Tensor;
    const columns = patches(x, filter, stride);
    const difference = tf.tidy(() => {
      const reference = core();
      return tf.max(tf.abs(tf.sub(reference, im2colGradient(columns, dy, filter)))).dataSync()[0] / tf.max(tf.abs(reference)).dataSync()[0];
    });
    const coreMs = cpuMsPerCall(core);
    const patchMs = cpuMsPerCall(() => patches(x, filter, stride));
    const productMs = cpuMsPerCall(() => im2colGradient(columns, dy, filter));
    const totalMs = cpuMsPerCall(() => tf.tidy(() => im2colGradient(patches(x, filter, stride), dy, filter)));
    console.log(`| ${xShape.join('×')} | ${filter.join('×')} | ${stride} | ${coreMs.toFixed(1)} | ${totalMs.toFixed(1)} | ${patchMs.toFixed(1)} | ${productMs.toFixed(1)} | ${(totalMs / coreMs).toFixed(2)} | ${difference.toExponential(1)} |`);
    tf.dispose([x, dy, columns]);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
