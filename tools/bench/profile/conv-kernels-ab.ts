/**
 * Per convolution layer of a model, at each batch size: core's native forward kernel against
 * tfjs-backend-wasm's XNNPACK `Conv2D`, and core's native input gradient against its composed
 * form on XNNPACK alone (native forward off too), in pairs whose order alternates; prints the median time of each side and the
 * ratio per pair (native ÷ XNNPACK), and whether both forwards gave the same bits.
 *
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/profile/conv-kernels-ab.ts [--model resnet20|resnet-small] [--batches 128,64,32] [--pairs 5]
 *
 * With `--step`, a whole SAM step of the model instead (random images and labels, the step run
 * twice per side and pair), native forward on against off, on wasm with `AUSAM_WASM_THREADS`
 * threads (default 1): what the forward kernel changes in a training step on each build.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Sam, Sgd, prepareRuntime } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { useNativeConvForward, useNativeInputGradient } from '@ausam/core/internal';

/** One conv layer's shape: input `size`×`size`×`inChannels`, a `kernel`×`kernel` filter, 'same' padding. */
type Layer = { name: string; size: number; inChannels: number; outChannels: number; stride: number; kernel: number };

/** The distinct conv layers of the CIFAR ResNets (stem excluded: it runs XNNPACK either way). */
const MODELS: Record<string, Layer[]> = {
  resnet20: [
    { name: '3x3 16-16', size: 32, inChannels: 16, outChannels: 16, stride: 1, kernel: 3 },
    { name: '3x3 16-32 /2', size: 32, inChannels: 16, outChannels: 32, stride: 2, kernel: 3 },
    { name: '1x1 16-32 /2', size: 32, inChannels: 16, outChannels: 32, stride: 2, kernel: 1 },
    { name: '3x3 32-32', size: 16, inChannels: 32, outChannels: 32, stride: 1, kernel: 3 },
    { name: '3x3 32-64 /2', size: 16, inChannels: 32, outChannels: 64, stride: 2, kernel: 3 },
    { name: '3x3 64-64', size: 8, inChannels: 64, outChannels: 64, stride: 1, kernel: 3 },
  ],
  'resnet-small': [
    { name: '3x3 16-16', size: 14, inChannels: 16, outChannels: 16, stride: 1, kernel: 3 },
    { name: '3x3 16-32 /2', size: 14, inChannels: 16, outChannels: 32, stride: 2, kernel: 3 },
    { name: '3x3 32-32', size: 7, inChannels: 32, outChannels: 32, stride: 1, kernel: 3 },
    { name: '3x3 32-64 /2', size: 7, inChannels: 32, outChannels: 64, stride: 2, kernel: 3 },
    { name: '3x3 64-64', size: 4, inChannels: 64, outChannels: 64, stride: 1, kernel: 3 },
  ],
};

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] === undefined ? fallback : process.argv[i + 1]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Milliseconds of `run` with `native` on and off, `pairs` times, alternating which goes first. */
function pairTimes(pairs: number, toggle: (on: boolean) => boolean, run: () => tf.Tensor): { native: number[]; xnnpack: number[] } {
  const times = { native: [] as number[], xnnpack: [] as number[] };
  for (let p = 0; p < pairs; p++) {
    for (const on of p % 2 === 0 ? [true, false] : [false, true]) {
      const previous = toggle(on);
      try {
        run().dispose(); // outside the timing: XNNPACK builds its operator on a new filter
        const started = performance.now();
        run().dispose();
        (on ? times.native : times.xnnpack).push(performance.now() - started);
      } finally {
        toggle(previous);
        useNativeConvForward(true);
      }
    }
  }
  return times;
}

/** The `--step` comparison: milliseconds per SAM step with the native forward on and off, per batch size. */
function stepComparison(model: string, batches: number[], pairs: number): void {
  const [size, channels] = model === 'resnet-small' ? [28, 1] : [32, 3];
  const task = new ClassificationTask(createModel(model, { numClasses: 10, inputChannels: channels, seed: 1 }));
  const sam = new Sam(new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), { rho: 0.05 });
  console.log('| batch | SAM step native forward / XNNPACK forward, ms | ratio per pair |');
  console.log('|---:|---|---|');
  for (const batch of batches) {
    const data = {
      ids: Int32Array.from({ length: batch }, (_, i) => i),
      images: tf.randomNormal([batch, size, size, channels], 0, 1, 'float32', 11) as tf.Tensor4D,
      labels: tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([batch], 0, 10, 'float32', 12)), 'int32')) as tf.Tensor1D,
    };
    const step = () => {
      for (let i = 0; i < 2; i++) sam.step({ task, batch: data, learningRate: 0.01 });
      return tf.scalar(0);
    };
    const t = pairTimes(pairs, useNativeConvForward, step);
    console.log(`| ${batch} | ${(median(t.native) / 2).toFixed(0)} / ${(median(t.xnnpack) / 2).toFixed(0)} | ${t.native.map((n, i) => (n / t.xnnpack[i]!).toFixed(2)).join(' ')} |`);
    tf.dispose([data.images, data.labels]);
  }
  sam.dispose();
}

async function main(): Promise<void> {
  const model = option('model', 'resnet20');
  const layers = MODELS[model];
  if (!layers) throw new Error(`--model: expected one of ${Object.keys(MODELS).join(', ')}, found '${model}'`);
  const batches = option('batches', '128,64,32').split(',').map(Number);
  const pairs = Number(option('pairs', '5'));
  const threads = Number(process.env.AUSAM_WASM_THREADS ?? '1');
  await prepareRuntime({ threads, log: () => {} });
  if (process.argv.includes('--step')) return stepComparison(model, batches, pairs);
  console.log(`| layer | batch | forward native / XNNPACK, ms | ratio per pair | same bits | input gradient native / composed, ms | ratio per pair |`);
  console.log('|---|---:|---|---|---|---|---|');
  for (const layer of layers) {
    for (const batch of batches) {
      const x = tf.randomNormal([batch, layer.size, layer.size, layer.inChannels], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([layer.kernel, layer.kernel, layer.inChannels, layer.outChannels], 0, 1, 'float32', 2) as tf.Tensor4D;
      const forward = () => tf.conv2d(x, filter, layer.stride, 'same');
      const dy = tf.randomNormal(forward().shape, 0, 1, 'float32', 3) as tf.Tensor4D;
      const attrs = { strides: [layer.stride, layer.stride], pad: 'same', dataFormat: 'NHWC', inputShape: x.shape };
      const inputGradient = () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs as never) as tf.Tensor;
      const bits = (on: boolean) => {
        const previous = useNativeConvForward(on);
        try {
          return tf.tidy(() => forward().dataSync().slice());
        } finally {
          useNativeConvForward(previous);
        }
      };
      const [nativeBits, xnnpackBits] = [bits(true), bits(false)];
      const same = nativeBits.every((v, i) => Object.is(v, xnnpackBits[i]));
      const f = pairTimes(pairs, useNativeConvForward, forward);
      const bothNative = (on: boolean) => {
        const previous = useNativeInputGradient(on);
        useNativeConvForward(on);
        return previous;
      };
      const g = pairTimes(pairs, bothNative, inputGradient);
      const cell = (t: { native: number[]; xnnpack: number[] }) =>
        [`${median(t.native).toFixed(2)} / ${median(t.xnnpack).toFixed(2)}`, t.native.map((n, i) => (n / t.xnnpack[i]!).toFixed(2)).join(' ')];
      console.log(`| ${layer.name} (${layer.size}×${layer.size}) | ${batch} | ${cell(f).join(' | ')} | ${same ? 'yes' : 'no'} | ${cell(g).join(' | ')} |`);
      tf.dispose([x, filter, dy]);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
