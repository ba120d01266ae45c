/**
 * Kernel throughput on tfjs' wasm backend (with @ausam/core's training kernels), and one small-CNN
 * training step on wasm vs cpu. FLOPs are analytic (2·MACs of the convolutions / matmul only).
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
// tfjs-core's CommonJS bundle registers no gradients; tsx can load these ESM sources.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmTrainingKernels } from '../../packages/core/src/backend/wasm-kernels';

interface Row {
  benchmark: string;
  backend: string;
  gflop: number;
  msPerIteration: number;
  gflops: number;
  iterations: number;
}

/** Mean wall time of `iterations` runs after `warmup` runs; each run reads its result back. */
function time(run: () => tf.Tensor | tf.Tensor[], warmup: number, iterations: number): number {
  const once = () => {
    const out = tf.tidy(run);
    const list = Array.isArray(out) ? out : [out];
    list.forEach((t) => t.dataSync());
    tf.dispose(list);
  };
  for (let i = 0; i < warmup; i++) once();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) once();
  return (performance.now() - start) / iterations;
}

function row(benchmark: string, backend: string, flop: number, ms: number, iterations: number): Row {
  return { benchmark, backend, gflop: flop / 1e9, msPerIteration: ms, gflops: flop / 1e9 / (ms / 1000), iterations };
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
const batch = 64;

/** Conv FLOPs of one training step: forward, filter gradients, and input gradients except the first layer's. */
function cnnStepFlop(): number {
  const forward = cnnLayers.map((l) => convFlop(batch, l.out, l.out, l.outC, 3, l.inC));
  const sum = forward.reduce((a, b) => a + b, 0);
  return sum + sum + (sum - forward[0]!);
}

function cnnStep(): () => tf.Tensor[] {
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

  const stepFlop = cnnStepFlop();
  const stepLabel = '3-conv CNN fwd+bwd step, batch 64×32×32×3';
  const wasmStep = cnnStep();
  const wasmIters = 5;
  rows.push(row(stepLabel, 'wasm', stepFlop, time(wasmStep, 2, wasmIters), wasmIters));
  tf.disposeVariables();

  await tf.setBackend('cpu');
  const cpuStep = cnnStep();
  const cpuIters = 2;
  rows.push(row(stepLabel, 'cpu', stepFlop, time(cpuStep, 1, cpuIters), cpuIters));
  tf.disposeVariables();

  const speedup = rows[3]!.msPerIteration / rows[2]!.msPerIteration;
  const header = '| benchmark | backend | GFLOP | ms / iter | GFLOP/s | iters |\n|---|---|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) => `| ${r.benchmark} | ${r.backend} | ${r.gflop.toFixed(3)} | ${r.msPerIteration.toFixed(1)} | ${r.gflops.toFixed(2)} | ${r.iterations} |`,
  );
  const environment = {
    tfjs: tf.version_core,
    wasmSimd: simd,
    wasmThreads: wasm.getThreadsCount(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
  };
  const markdown = [header, ...lines, '', `CNN step: wasm is ${speedup.toFixed(1)}× faster than cpu.`].join('\n');
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
