/**
 * A/B timing of core's native convolution-gradient kernels on the conv layers of `resnet-small`
 * (28×28×1, the Fashion-MNIST demo) and ResNet-20 (32×32×3), batch 128: one pass runs every
 * layer's filter gradient and (except the stem's) input gradient, as a training step does. A and
 * B alternate pass by pass, and each pair's time ratio B/A is printed (the machine is shared, so
 * only ratios within a pair mean anything).
 *   fma:  A = plain SIMD build, B = Relaxed SIMD build (needs Relaxed SIMD:
 *         node --experimental-wasm-relaxed-simd --import tsx tools/bench/throughput/native-kernels-ab.ts fma)
 *   step: as fma, but each pass is one SAM step of resnet-small (batch 128, `randomClassificationBatch`, model seed 1)
 *         through the optimizer, so B/A is the fused build's effect on a whole step
 *   heap: A = operands staged in the kernels' own memory (copied in, the result copied into its
 *         tensor), B = the kernels reading and writing tfjs-backend-wasm's heap in place
 *         (npx tsx tools/bench/throughput/native-kernels-ab.ts heap)
 * Optional second argument: pairs per model (default 6). Inputs are N(0, 1), seeds 1 and 2.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildMethod, selectBackend } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { randomClassificationBatch } from './random-batch';
import { nativeVariant, relaxedSimdSupported, useFusedMultiplyAdd } from '../../../packages/core/src/runtime/backend/wasm-kernels/native/build-variant';
import { ownHeap } from '../../../packages/core/src/runtime/backend/wasm-kernels/native/kernel-heap';
import { nativeFilterGradient } from '../../../packages/core/src/runtime/backend/wasm-kernels/native/native-filter-gradient';
import { nativeInputGradient } from '../../../packages/core/src/runtime/backend/wasm-kernels/native/native-input-gradient';
import { convGeometry } from '../../../packages/core/src/runtime/backend/wasm-kernels/native/conv-geometry';
import { float32Output, float32View } from '../../../packages/core/src/runtime/backend/wasm-kernels/kernel-util';

interface Layer {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: number | 'valid';
  readonly inputGradient: boolean;
}

/** The conv layers of a CIFAR-style ResNet of basic blocks (3×3 convs padded 1, 1×1 'valid' shortcuts). */
function resnetLayers(batch: number, size: number, channels: number, widths: number[], blocks: number, strides: number[]): Layer[] {
  const layers: Layer[] = [{ x: [batch, size, size, channels], filter: [3, 3, channels, 16], stride: 1, pad: 1, inputGradient: false }];
  let [side, inC] = [size, 16];
  widths.forEach((width, s) => {
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 ? strides[s]! : 1;
      layers.push({ x: [batch, side, side, inC], filter: [3, 3, inC, width], stride, pad: 1, inputGradient: true });
      if (stride !== 1 || inC !== width) layers.push({ x: [batch, side, side, inC], filter: [1, 1, inC, width], stride, pad: 'valid', inputGradient: true });
      side = Math.floor((side + 2 - 3) / stride) + 1;
      layers.push({ x: [batch, side, side, width], filter: [3, 3, width, width], stride: 1, pad: 1, inputGradient: true });
      inC = width;
    }
  });
  return layers;
}

interface Operands {
  readonly layer: Layer;
  readonly x: tf.Tensor4D;
  readonly dy: tf.Tensor4D;
  readonly filter: tf.Tensor4D;
  readonly info: tf.backend_util.Conv2DInfo;
}

function operands(layer: Layer): Operands {
  const info = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, layer.stride, 1, layer.pad);
  return {
    layer,
    info,
    x: tf.randomNormal(layer.x, 0, 1, 'float32', 1) as tf.Tensor4D,
    dy: tf.randomNormal(info.outShape, 0, 1, 'float32', 2) as tf.Tensor4D,
    filter: tf.randomNormal(layer.filter, 0, 1, 'float32', 3) as tf.Tensor4D,
  };
}

/** One pass through the registered kernels (what a training step runs). */
function kernelPass(all: readonly Operands[]): void {
  for (const { layer, x, dy, filter } of all) {
    const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC' };
    tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: layer.filter } as never).dispose();
    if (layer.inputGradient) tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter }, { ...attrs, inputShape: layer.x } as never).dispose();
  }
}

/** One pass with every operand staged in the kernels' own memory and each result copied into its tensor. */
function stagedPass(all: readonly Operands[]): void {
  for (const { layer, x, dy, filter, info } of all) {
    const g = convGeometry(info);
    float32Output(layer.filter, (out) => nativeFilterGradient(float32View(x), float32View(dy), g, ownHeap(), out)).dispose();
    if (layer.inputGradient) float32Output(layer.x, (out) => nativeInputGradient(float32View(dy), float32View(filter), g, ownHeap(), out)).dispose();
  }
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const pairs = Number(process.argv[3] ?? 6);
  if (mode !== 'fma' && mode !== 'heap' && mode !== 'step') throw new Error(`native-kernels-ab: mode must be 'fma', 'step' or 'heap', found '${mode}'`);
  if (mode !== 'heap' && !relaxedSimdSupported()) throw new Error('native-kernels-ab fma: this runtime has no Relaxed SIMD (run node with --experimental-wasm-relaxed-simd)');
  await selectBackend({ force: 'wasm', threads: 1 });
  if (mode === 'step') return samSteps(pairs);
  const models = {
    'resnet-small (28×28×1)': resnetLayers(128, 28, 1, [16, 32, 64], 1, [2, 2, 2]),
    'resnet20 (32×32×3)': resnetLayers(128, 32, 3, [16, 32, 64], 3, [1, 2, 2]),
  };
  const [a, b] =
    mode === 'fma'
      ? [(all: Operands[]) => (useFusedMultiplyAdd(false), kernelPass(all)), (all: Operands[]) => (useFusedMultiplyAdd(true), kernelPass(all))]
      : [stagedPass, kernelPass];
  console.log(`mode ${mode}, ${pairs} pairs per model, build when fused: ${nativeVariant()}`);
  for (const [name, layers] of Object.entries(models)) {
    const all = layers.map(operands);
    a(all);
    b(all);
    const ratios: number[] = [];
    const rows: string[] = [];
    for (let p = 0; p < pairs; p++) {
      const timeA = seconds(() => a(all));
      const timeB = seconds(() => b(all));
      ratios.push(timeB / timeA);
      rows.push(`${timeA.toFixed(3)}/${timeB.toFixed(3)}=${(timeB / timeA).toFixed(3)}`);
    }
    const sorted = [...ratios].sort((p, q) => p - q);
    console.log(`${name}: ${layers.length} convs; A s/B s per pair: ${rows.join(' ')}; median B/A ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)}`);
    for (const o of all) tf.dispose([o.x, o.dy, o.filter]);
  }
  useFusedMultiplyAdd(true);
}

/** A/B of whole SAM steps, plain build (A) against the fused one (B). */
function samSteps(pairs: number): void {
  const task = new ClassificationTask(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 }));
  const batch = randomClassificationBatch(128, { height: 28, width: 28, channels: 1 });
  const { optimizer } = buildMethod({ method: 'sam', rho: 0.05 }, 128, 1);
  const step = (fused: boolean) => () => {
    useFusedMultiplyAdd(fused);
    optimizer.step({ task, batch, learningRate: 0.05 });
  };
  step(false)();
  step(true)();
  const rows: string[] = [];
  const ratios: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const a = seconds(step(false));
    const b = seconds(step(true));
    ratios.push(b / a);
    rows.push(`${a.toFixed(3)}/${b.toFixed(3)}=${(b / a).toFixed(3)}`);
  }
  useFusedMultiplyAdd(true);
  const sorted = [...ratios].sort((p, q) => p - q);
  console.log(`resnet-small SAM step, A s/B s per pair: ${rows.join(' ')}; median B/A ${sorted[Math.floor(pairs / 2)]!.toFixed(3)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
