/**
 * Core's native wasm SIMD conv kernels against what they replace, per layer of resnet-small and
 * CIFAR ResNet-20 at batch 128 (3×3 layers and 1×1 stride-2 shortcuts, 'same' padding):
 * - `Conv2DBackpropInput`: `native/conv-taps.c` by phases against the composed XNNPACK form;
 * - `Conv2DBackpropFilter`: `native/filter-gradient.c` against the transposed conv (3×3) or the
 *   matrix product (1×1).
 * CPU ms per call (mean of 8 calls after 2 warm-ups), the two forms alternating per layer, and the
 * largest difference relative to the largest value.
 *
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/profile/native-conv-kernels.ts [--kernel input|filter]
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@ausam/core';
import { cpuMsPerCall, CONV_3X3_LAYERS, SHORTCUT_LAYERS, type ConvLayer } from './conv-layers';
import { useNativeFilterGradient, useNativeInputGradient } from '@ausam/core/internal';

interface KernelUnderTest {
  readonly label: string;
  readonly toggle: (on: boolean) => boolean;
  readonly run: (layer: ConvLayer, x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D) => tf.Tensor;
}

const KERNELS: Record<string, KernelUnderTest> = {
  input: {
    label: 'Conv2DBackpropInput (vs composed XNNPACK)',
    toggle: useNativeInputGradient,
    run: ({ x: xShape, stride }, _x, w, dy) =>
      tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', inputShape: xShape } as never) as tf.Tensor,
  },
  filter: {
    label: 'Conv2DBackpropFilter (vs transposed conv / matrix product)',
    toggle: useNativeFilterGradient,
    run: ({ filter, stride }, x, _w, dy) =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', filterShape: filter } as never) as tf.Tensor,
  },
};

async function main(): Promise<void> {
  const i = process.argv.indexOf('--kernel');
  const chosen = i < 0 ? Object.keys(KERNELS) : [process.argv[i + 1] ?? ''];
  for (const key of chosen) if (!(key in KERNELS)) throw new Error(`--kernel: expected one of ${Object.keys(KERNELS).join(', ')}, found '${key}'`);
  await selectBackend({ force: 'wasm', log: () => {} });
  // Every kernel but the one measured stays native, as in training.
  for (const key of chosen) {
    const kernel = KERNELS[key]!;
    console.log(`\n${kernel.label}\n`);
    console.log('| model | x | filter | stride | before ms | native ms | speed-up | max rel. difference |');
    console.log('|---|---|---|---:|---:|---:|---:|---:|');
    const totals = { before: 0, after: 0 };
    for (const layer of [...CONV_3X3_LAYERS, ...SHORTCUT_LAYERS]) {
      const { model, x: xShape, filter, stride } = layer;
      const x = tf.randomNormal(xShape) as tf.Tensor4D;
      const w = tf.randomNormal(filter) as tf.Tensor4D;
      const dy = tf.randomNormal([xShape[0], Math.ceil(xShape[1] / stride), Math.ceil(xShape[2] / stride), filter[3]]) as tf.Tensor4D;
      const work = () => kernel.run(layer, x, w, dy);
      kernel.toggle(false);
      const old = work();
      const oldMs = cpuMsPerCall(work);
      kernel.toggle(true);
      const fresh = work();
      const newMs = cpuMsPerCall(work);
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(old, fresh))).dataSync()[0]! / tf.max(tf.abs(old)).dataSync()[0]!);
      if (model === 'resnet-small') {
        totals.before += oldMs;
        totals.after += newMs;
      }
      console.log(`| ${model} | ${xShape.join('×')} | ${filter.join('×')} | ${stride} | ${oldMs.toFixed(2)} | ${newMs.toFixed(2)} | ${(oldMs / newMs).toFixed(2)}× | ${difference.toExponential(1)} |`);
      tf.dispose([x, w, dy, old, fresh]);
    }
    console.log(`\nresnet-small's layers, one call each: ${totals.before.toFixed(1)} ms before, ${totals.after.toFixed(1)} ms native (${(totals.before / totals.after).toFixed(2)}×).`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
