/**
 * `Conv2DBackpropFilter` on wasm, per layer: core's native wasm SIMD kernel
 * (`packages/core/src/backend/wasm-kernels/native/filter-gradient.c`) against the transposed-conv
 * form it replaced (still the fallback), for each 3×3 layer shape of resnet-small and ResNet-20 at
 * batch 128. CPU ms per call (mean of 8 calls after 2 warm-ups), alternating the two forms per
 * layer, and the largest difference relative to the largest value.
 *
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/profile/native-filter-gradient.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@ausam/core';
import { cpuMsPerCall, FILTER_GRADIENT_LAYERS } from './filter-gradient-layers';
import { useNativeFilterGradient } from '../../../packages/core/src/backend/wasm-kernels/native/native-filter-gradient';

async function main(): Promise<void> {
  await selectBackend({ force: 'wasm', log: () => {} });
  console.log('| model | x | filter | stride | transposed conv ms | native ms | speed-up | max rel. difference |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  let before = 0;
  let after = 0;
  for (const { model, x: xShape, filter, stride } of FILTER_GRADIENT_LAYERS) {
    const x = tf.randomNormal(xShape) as tf.Tensor4D;
    const dy = tf.randomNormal([xShape[0], Math.ceil(xShape[1] / stride), Math.ceil(xShape[2] / stride), filter[3]]) as tf.Tensor4D;
    const gradient = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', filterShape: filter } as never) as tf.Tensor;
    useNativeFilterGradient(false);
    const old = gradient();
    const oldMs = cpuMsPerCall(gradient);
    useNativeFilterGradient(true);
    const fresh = gradient();
    const newMs = cpuMsPerCall(gradient);
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(old, fresh))).dataSync()[0] / tf.max(tf.abs(old)).dataSync()[0]);
    if (model === 'resnet-small') {
      before += oldMs;
      after += newMs;
    }
    console.log(`| ${model} | ${xShape.join('×')} | ${filter.join('×')} | ${stride} | ${oldMs.toFixed(2)} | ${newMs.toFixed(2)} | ${(oldMs / newMs).toFixed(2)}× | ${difference.toExponential(1)} |`);
    tf.dispose([x, dy, old, fresh]);
  }
  console.log(`\nresnet-small's 3×3 layers, one call each: ${before.toFixed(1)} ms transposed conv, ${after.toFixed(1)} ms native (${(before / after).toFixed(2)}×).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
