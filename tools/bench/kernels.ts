/**
 * Kernel throughput on tfjs' wasm backend (with @ausam/core's training kernels): matMul, a forward
 * conv, conv2d's input gradient with tfjs-backend-wasm's own kernel and with core's replacement, and
 * one small-CNN training step on wasm vs cpu. FLOPs are analytic (2·MACs of the convolutions /
 * matmul only).
 *
 *   npx tsx tools/bench/kernels.ts
 *
 * Prints a Markdown table and writes it as JSON to bench-results/kernels/<ISO timestamp>.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
// Registers tfjs' gradient functions (through `@tensorflow/tfjs`), as @ausam/core's index does.
import { displacedWasmKernels, registerWasmTrainingKernels } from '@ausam/core/internal';

interface Row {
  benchmark: string;
  backend: string;
  gflop: number;
  wallMs: number;
  gflopsWall: number;
  /** Process CPU time: both backends run single-threaded here, so this discounts other load on the machine. */
  cpuMs: number;
  gflopsCpu: number;
  iterations: number;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function runOnce(run: () => tf.Tensor | tf.Tensor[]): void {
  const out = tf.tidy(run);
  const list = Array.isArray(out) ? out : [out];
  list.forEach((t) => t.dataSync());
  tf.dispose(list);
}

/** Mean wall and CPU time of `iterations` runs after `warmup` runs; each run reads its results back. */
function time(run: () => tf.Tensor | tf.Tensor[], warmup: number, iterations: number): Timing {
  for (let i = 0; i < warmup; i++) runOnce(run);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) runOnce(run);
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: (performance.now() - start) / iterations, cpuMs: (cpu.user + cpu.system) / 1000 / iterations };
}

function row(benchmark: string, backend: string, flop: number, timing: Timing, iterations: number): Row {
  const gflop = flop / 1e9;
  return {
    benchmark,
    backend,
    gflop,
    wallMs: timing.wallMs,
    gflopsWall: gflop / (timing.wallMs / 1000),
    cpuMs: timing.cpuMs,
    gflopsCpu: gflop / (timing.cpuMs / 1000),
    iterations,
  };
}

/** 2·MACs of a conv2d: batch·outH·outW·outC·kH·kW·inC. */
function convFlop(batch: number, outH: number, outW: number, outC: number, k: number, inC: number): number {
  return 2 * batch * outH * outW * outC * k * k * inC;
}

let seed = 42;
function random(shape: number[], scale = 1): tf.Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed++);
}

/** 3×3 convs 3→16 'same', 16→32 /2, 32→32 /2 on 32×32×3 images; global average pool; dense 32→10. */
const cnnLayers = [
  { inC: 3, outC: 16, stride: 1, out: 32 },
  { inC: 16, outC: 32, stride: 2, out: 16 },
  { inC: 32, outC: 32, stride: 2, out: 8 },
];
const cnnBatch = 64;

/** Conv FLOPs of one training step: forward, filter gradients, and input gradients except the first layer's. */
function cnnStepFlop(batch: number): number {
  const forward = cnnLayers.map((l) => convFlop(batch, l.out, l.out, l.outC, 3, l.inC));
  const sum = forward.reduce((a, b) => a + b, 0);
  return sum + sum + (sum - forward[0]!);
}

function cnnStep(batch: number): () => tf.Tensor[] {
  const filters = cnnLayers.map((l, i) => tf.variable(random([3, 3, l.inC, l.outC], 0.2), true, `bench_conv${i}`));
  const dense = tf.variable(random([32, 10], 0.2), true, 'bench_dense');
  const images = random([batch, 32, 32, 3]) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  return () => {
    const { value, grads } = tf.variableGrads(() => {
      let h = images;
      cnnLayers.forEach((l, i) => {
        h = tf.relu(tf.conv2d(h, filters[i] as tf.Tensor4D, l.stride, 'same'));
      });
      const logits = tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, dense as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    });
    return [value, ...Object.values(grads)];
  };
}

/** Puts tfjs-backend-wasm's own Conv2DBackpropInput back (true) or core's replacement (false). */
function useBuiltInConv2DBackpropInput(builtIn: boolean): void {
  if (!builtIn) return registerWasmTrainingKernels();
  const config = displacedWasmKernels.get(tf.Conv2DBackpropInput);
  if (!config) throw new Error('no built-in Conv2DBackpropInput was displaced');
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(config);
}

async function main(): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const rows: Row[] = [];

  const n = 1024;
  const a = random([n, n]) as tf.Tensor2D;
  const b = random([n, n]) as tf.Tensor2D;
  const matmulIters = 10;
  rows.push(row(`matMul ${n}×${n}×${n}`, 'wasm', 2 * n ** 3, time(() => tf.matMul(a, b), 2, matmulIters), matmulIters));
  tf.dispose([a, b]);

  const x = random([64, 32, 32, 32]) as tf.Tensor4D;
  const w = random([3, 3, 32, 32]) as tf.Tensor4D;
  const convIters = 10;
  rows.push(row('conv2d fwd 64×32×32×32→32, 3×3 same', 'wasm', convFlop(64, 32, 32, 32, 3, 32), time(() => tf.conv2d(x, w, 1, 'same'), 2, convIters), convIters));
  tf.dispose([x, w]);

  // conv2d's input gradient: tfjs-backend-wasm's own kernel (a scalar loop) against core's composed one.
  for (const stride of [1, 2]) {
    const out = 32 / stride;
    const dy = random([64, out, out, 32]) as tf.Tensor4D;
    const filter = random([3, 3, 32, 32]) as tf.Tensor4D;
    const run = () => tf.conv2dTranspose(dy, filter, [64, 32, 32, 32], stride, 'same');
    const label = `conv2d input gradient 64×${out}×${out}×32→64×32×32×32, 3×3 stride ${stride}`;
    const flop = convFlop(64, out, out, 32, 3, 32);
    useBuiltInConv2DBackpropInput(true);
    rows.push(row(label, 'wasm (tfjs kernel)', flop, time(run, 1, 3), 3));
    useBuiltInConv2DBackpropInput(false);
    rows.push(row(label, 'wasm (core kernel)', flop, time(run, 2, convIters), convIters));
    tf.dispose([dy, filter]);
  }

  const stepFlop = cnnStepFlop(cnnBatch);
  const stepLabel = `3-conv CNN fwd+bwd step, batch ${cnnBatch}×32×32×3`;
  const wasmIters = 5;
  rows.push(row(stepLabel, 'wasm', stepFlop, time(cnnStep(cnnBatch), 2, wasmIters), wasmIters));
  tf.disposeVariables();

  // One timed step: cpu takes about a minute per batch-64 step. A batch-2 step warms up its JIT.
  await tf.setBackend('cpu');
  runOnce(cnnStep(2));
  tf.disposeVariables();
  rows.push(row(stepLabel, 'cpu', stepFlop, time(cnnStep(cnnBatch), 0, 1), 1));
  tf.disposeVariables();

  const wasmStep = rows.find((r) => r.benchmark === stepLabel && r.backend === 'wasm')!;
  const cpuStep = rows.find((r) => r.benchmark === stepLabel && r.backend === 'cpu')!;
  const speedup = { wall: cpuStep.wallMs / wasmStep.wallMs, cpuTime: cpuStep.cpuMs / wasmStep.cpuMs };
  const header = [
    '| benchmark | backend | GFLOP | wall ms/iter | GFLOP/s (wall) | CPU ms/iter | GFLOP/s (CPU time) | iters |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ].join('\n');
  const lines = rows.map((r) => {
    const cells = [r.benchmark, r.backend, r.gflop.toFixed(3), r.wallMs.toFixed(1), r.gflopsWall.toFixed(2), r.cpuMs.toFixed(1), r.gflopsCpu.toFixed(2), r.iterations];
    return `| ${cells.join(' | ')} |`;
  });
  const environment = {
    tfjs: tf.version_core,
    wasmSimd: simd,
    wasmThreads: wasm.getThreadsCount(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage1m: os.loadavg()[0],
  };
  const markdown = [
    header,
    ...lines,
    '',
    `CNN step: wasm is ${speedup.wall.toFixed(1)}× faster than cpu by wall time, ${speedup.cpuTime.toFixed(1)}× by CPU time.`,
  ].join('\n');
  console.log(markdown);
  console.log(`\n${JSON.stringify(environment)}`);

  const dir = path.resolve(__dirname, '../../bench-results/kernels');
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = path.join(dir, `${date.replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ date, command: 'npx tsx tools/bench/kernels.ts', environment, rows, cnnStepSpeedupWasmOverCpu: speedup, markdown }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
