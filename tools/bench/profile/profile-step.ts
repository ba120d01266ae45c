/**
 * Profiles one real training step on the wasm backend, kernel by kernel: a classification model
 * (`resnet-small` on 28×28×1 or `resnet20` on 32×32×3 random images) through core's
 * `lossAndGradients` (forward + backward) or a SAM step.
 *
 *   npx tsx tools/bench/profile/profile-step.ts [--model resnet-small|resnet20] [--batch 128] [--iters 5]
 *     [--profile-steps 3] [--top 25] [--profile-sam] [--wasm-builtins] [--threads N]
 *
 * - `--profile-sam` profiles SAM steps (`Sam(Sgd(momentum 0.9), rho 0.05)`) instead of fwd+bwd
 *   steps; weights change between passes, so XNNPACK re-packs the forward filters, as in training.
 * - `--wasm-builtins` puts back the tfjs-backend-wasm kernels that core replaces with composed ones
 *   (`wasmKernelOverrides`), to measure what the replacements gain.
 * - `--threads N` (N > 1) runs on tfjs-backend-wasm's threaded SIMD build (`AUSAM_WASM_THREADS=N` for `selectBackend`).
 *
 * Prints
 * - the matMul ceiling: GFLOP/s of a 1024³ `tf.matMul` in this process (the best rate XNNPACK
 *   reaches on this machine), measured just before profiling;
 * - from `tf.profile`, per step: each kernel's self time (its time minus the kernels it called),
 *   keyed by its call path (`Conv2DBackpropFilter › Transpose`, …), with % of the step's kernel time,
 *   executed GFLOP and GFLOP/s as % of the ceiling (convolutions and matrix products only); then the
 *   inclusive time of the top-level kernels with their useful GFLOP/s;
 * - images/s for forward only, fwd+bwd and a SAM step, by wall time and by process CPU time.
 *
 * Writes everything as JSON to bench-results/profile-step/<ISO timestamp>.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { FIRST_PASS, localPasses, Sam, selectBackend, Sgd } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { displacedWasmKernels } from '@ausam/core/internal';
import { randomClassificationBatch } from '../throughput/random-batch';
import { THROUGHPUT_MODELS, type ThroughputModel } from '../throughput/throughput-arguments';
import { recordedDepth, selfTimes, tagKernelDepth, type KernelCall, type PathTotal } from './call-tree';
import { kernelFlops } from './kernel-flops';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, found '${process.argv[i + 1]}'`);
  return value;
}

const modelIndex = process.argv.indexOf('--model');
const modelName = (modelIndex < 0 ? 'resnet-small' : process.argv[modelIndex + 1]) as ThroughputModel;
if (!(modelName in THROUGHPUT_MODELS)) throw new Error(`--model: expected one of ${Object.keys(THROUGHPUT_MODELS).join(', ')}, found '${modelName}'`);
const batchSize = flag('batch', 128);
const iterations = flag('iters', 5);
const profileSteps = flag('profile-steps', 3);
const top = flag('top', 25);
const threads = flag('threads', 1);
const wasmBuiltins = process.argv.includes('--wasm-builtins');
const profileSam = process.argv.includes('--profile-sam');

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Mean wall and process-CPU time of `count` calls of `run` after one warm-up call. */
function time(run: () => void, count: number): Timing {
  run();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) run();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: (performance.now() - start) / count, cpuMs: (cpu.user + cpu.system) / 1000 / count };
}

/** GFLOP/s of a 1024³ matMul, by wall time (median of 5 after 2 warm-ups). */
function matMulCeiling(): number {
  const a = tf.randomNormal([1024, 1024], 0, 1, 'float32', 1);
  const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);
  const rates: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const ms = performance.now() - start;
    c.dispose();
    if (i >= 2) rates.push((2 * 1024 ** 3) / ms / 1e6);
  }
  tf.dispose([a, b]);
  return rates.sort((p, q) => p - q)[2];
}

function table(title: string, rows: readonly PathTotal[], steps: number, totalMs: number, ceiling: number): string {
  const lines = [title, '', '| kernel (call path) | ms/step | % of kernel time | calls/step | GFLOP/step | GFLOP/s | % of matMul ceiling |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const gflops = r.flops > 0 ? r.flops / 1e6 / r.ms : undefined;
    lines.push(
      `| ${r.path} | ${(r.ms / steps).toFixed(1)} | ${((100 * r.ms) / totalMs).toFixed(1)} | ${r.count / steps} | ` +
        `${r.flops > 0 ? (r.flops / 1e9 / steps).toFixed(3) : ''} | ${gflops?.toFixed(1) ?? ''} | ${gflops ? ((100 * gflops) / ceiling).toFixed(0) : ''} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  // An explicit setting: selectBackend starts that pool (or throws), where unset would mean every core.
  process.env.AUSAM_WASM_THREADS = String(threads);
  await selectBackend({ force: 'wasm', log: () => {} });
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  if (wasmBuiltins) {
    for (const config of displacedWasmKernels.values()) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
  }
  tagKernelDepth();

  const shape = THROUGHPUT_MODELS[modelName];
  const model = createModel(modelName, { numClasses: 10, inputChannels: shape.channels, seed: 1 });
  const task = new ClassificationTask(model);
  const batch = randomClassificationBatch(batchSize, shape);

  const forward = () => {
    const losses = tf.tidy(() => task.perSampleLoss(batch, FIRST_PASS));
    losses.dataSync();
    losses.dispose();
  };
  const fwdBwd = () => tf.dispose(localPasses.lossAndGradients(task, batch, FIRST_PASS).gradients);
  const sam = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
  const samStep = () => void sam.step({ task, batch, learningRate: 0.01 });

  // Warm up (wasm compiles kernels and XNNPACK builds operators on first use), then profile.
  fwdBwd();
  fwdBwd();
  if (profileSam) samStep();
  const ceiling = matMulCeiling();
  const tensorsBefore = tf.memory().numTensors;
  const calls: KernelCall[] = [];
  const profileStart = performance.now();
  for (let i = 0; i < profileSteps; i++) {
    const info = await tf.profile(() => (profileSam ? samStep() : fwdBwd()));
    for (const k of info.kernels) {
      calls.push({ name: k.name, depth: recordedDepth(k.extraInfo), ms: k.kernelTimeMs as number, flops: kernelFlops(k.name, k.inputShapes, k.outputShapes) });
    }
  }
  const profiledWallMs = (performance.now() - profileStart) / profileSteps;
  if (!profileSam && tf.memory().numTensors !== tensorsBefore) throw new Error('profile-step: the fwd+bwd step leaked tensors');

  const { paths, topLevel } = selfTimes(calls);
  const kernelMs = [...topLevel.values()].reduce((sum, r) => sum + r.ms, 0);
  const flops = [...topLevel.values()].reduce((sum, r) => sum + r.flops, 0);
  const byPath = [...paths.values()].sort((a, b) => b.ms - a.ms);
  const byTop = [...topLevel.values()].sort((a, b) => b.ms - a.ms);

  const timings = {
    forward: time(forward, iterations),
    fwdBwd: time(fwdBwd, iterations),
    samStep: time(samStep, iterations),
  };
  const throughput = Object.fromEntries(
    Object.entries(timings).map(([k, t]) => [k, { ...t, imagesPerSecWall: (1000 * batchSize) / t.wallMs, imagesPerSecCpu: (1000 * batchSize) / t.cpuMs }]),
  );

  const environment = {
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    wasmThreads: threads,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage1m: os.loadavg()[0],
  };
  const convMs = byTop.filter((r) => r.flops > 0).reduce((sum, r) => sum + r.ms, 0);
  const summary = [
    `${modelName} (${model.parameterCount()} parameters), batch ${batchSize}×${shape.height}×${shape.width}×${shape.channels}, wasm` +
      `${threads > 1 ? ` threaded SIMD (${threads} threads)` : ' SIMD (1 thread)'}` +
      `${wasmBuiltins ? ` with its built-in ${[...displacedWasmKernels.keys()].join(', ')}` : ''}; profiled ${profileSteps} ${profileSam ? 'SAM' : 'fwd+bwd'} steps:`,
    `kernel time ${(kernelMs / profileSteps).toFixed(1)} ms/step of ${profiledWallMs.toFixed(1)} ms/step wall under tf.profile; ` +
      `convolutions and matrix products ${((100 * convMs) / kernelMs).toFixed(0)} % of it, at ${(flops / 1e6 / convMs).toFixed(1)} GFLOP/s (${(flops / 1e9 / profileSteps).toFixed(2)} GFLOP/step); ` +
      `matMul 1024³ ceiling ${ceiling.toFixed(1)} GFLOP/s; 1-minute load average ${environment.loadAverage1m.toFixed(2)} on ${environment.cores} cores.`,
    '',
    table('Self time per kernel call path (composed kernels broken down):', byPath.slice(0, top), profileSteps, kernelMs, ceiling),
    '',
    table('Inclusive time of the kernels the ops called (top level; GFLOP = the useful work of the op):', byTop.slice(0, top), profileSteps, kernelMs, ceiling),
    '',
    '| pass | wall ms | images/s (wall) | CPU ms | images/s (CPU time) |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(throughput).map(
      ([k, t]) => `| ${k} | ${t.wallMs.toFixed(1)} | ${t.imagesPerSecWall.toFixed(1)} | ${t.cpuMs.toFixed(1)} | ${t.imagesPerSecCpu.toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(summary);
  console.log(`\n${JSON.stringify(environment)}`);

  const dir = path.resolve(__dirname, '../../../bench-results/profile-step');
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = path.join(dir, `${date.replace(/:/g, '-')}.json`);
  const record = {
    date,
    command: `npx tsx tools/bench/profile/profile-step.ts ${process.argv.slice(2).join(' ')}`.trim(),
    environment,
    model: modelName,
    batchSize,
    wasmBuiltins: wasmBuiltins ? [...displacedWasmKernels.keys()] : [],
    profiledPass: profileSam ? 'sam' : 'fwdBwd',
    profileSteps,
    matMulCeilingGflops: ceiling,
    kernelMsPerStep: kernelMs / profileSteps,
    profiledWallMsPerStep: profiledWallMs,
    selfTimeByPath: byPath.map((r) => ({ ...r, msPerStep: r.ms / profileSteps, callsPerStep: r.count / profileSteps })),
    inclusiveTopLevel: byTop.map((r) => ({ ...r, msPerStep: r.ms / profileSteps, callsPerStep: r.count / profileSteps })),
    throughput,
    markdown: summary,
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  sam.dispose();
  model.dispose();
  tf.dispose([batch.images, batch.labels]);
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
