/**
 * Profiles one real training step on the wasm backend: the classification model `resnet-small`
 * (CIFAR ResNet-8, width 16) on a batch of random 28×28×1 images, through core's
 * `lossAndGradients` (forward + backward) and a SAM step.
 *
 *   npx tsx tools/bench/profile-step.ts [--batch 128] [--iters 5] [--profile-steps 3] [--top 25] [--wasm-builtins] [--profile-sam]
 *
 * `--profile-sam` profiles SAM steps instead of fwd+bwd steps (weights change between passes, so
 * XNNPACK re-packs the forward filters, as in real training).
 * `--wasm-builtins` puts back the tfjs-backend-wasm kernels that core replaces with faster composed
 * ones (`wasmKernelOverrides`, e.g. `Conv2DBackpropInput`), to measure what the replacements gain.
 *
 * Prints
 * - per-kernel time from `tf.profile` over `--profile-steps` fwd+bwd steps (or SAM steps), per step: each kernel's
 *   self time (its time minus the kernels it called), keyed by its call path, so the composed wasm
 *   kernels of core (`Conv2DBackpropFilter › Transpose`, …) show what they spend their time on and
 *   no time is counted twice; then the inclusive time of the top-level kernels;
 * - images/s for forward only, fwd+bwd and a SAM step (`Sam(Sgd(momentum 0.9), rho 0.05)`), by
 *   wall time and by process CPU time (wasm runs on one thread, so CPU time discounts the load of
 *   other jobs on a shared machine).
 *
 * Writes everything as JSON to bench-results/profile-step/<ISO timestamp>.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { FIRST_PASS, lossAndGradients, Sam, selectBackend, Sgd } from '@ausam/core';
import { displacedWasmKernels } from '../../packages/core/src/backend/wasm-kernels';
import { createModel } from '../../packages/classification/src/models';
import { ClassificationTask } from '../../packages/classification/src/task';
import type { ClassificationBatch } from '../../packages/classification/src/data/classification-batch';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, found '${process.argv[i + 1]}'`);
  return value;
}

const batchSize = flag('batch', 128);
const iterations = flag('iters', 5);
const profileSteps = flag('profile-steps', 3);
const top = flag('top', 25);
const wasmBuiltins = process.argv.includes('--wasm-builtins');
const profileSam = process.argv.includes('--profile-sam');

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Mean wall and process-CPU time of `iterations` calls of `run` after one warm-up call. */
function time(run: () => void, count: number): Timing {
  run();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) run();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: (performance.now() - start) / count, cpuMs: (cpu.user + cpu.system) / 1000 / count };
}

/** One kernel call as recorded by `tf.profile`, with its nesting depth (1 = called by an op). */
interface Call {
  name: string;
  depth: number;
  ms: number;
}

interface PathTotal {
  /** Call path, e.g. `Conv2DBackpropFilter › Transpose`. */
  path: string;
  selfMs: number;
  count: number;
}

/**
 * `tf.profile` records every kernel, including the ones a composed kernel calls, after it returns,
 * without its depth. Tag each record with the engine's kernel depth at call time (bench-only
 * reliance on tfjs-core 4.22 internals: `engine.profiler.profileKernel`, `engine.state.kernelDepth`).
 */
function tagKernelDepth(): void {
  const engine = tf.engine() as unknown as {
    profiler: { profileKernel: (...args: unknown[]) => { extraInfo: unknown } };
    state: { kernelDepth: number };
  };
  const original = engine.profiler.profileKernel.bind(engine.profiler);
  engine.profiler.profileKernel = (...args: unknown[]) => {
    const depth = engine.state.kernelDepth;
    const profile = original(...args);
    profile.extraInfo = Promise.resolve(`depth=${depth}`);
    return profile;
  };
}

/** Splits recorded calls (children complete before their parent) into self times per call path. */
function selfTimes(calls: readonly Call[]): { paths: Map<string, PathTotal>; topLevel: Map<string, PathTotal> } {
  const paths = new Map<string, PathTotal>();
  const topLevel = new Map<string, PathTotal>();
  // Completed calls waiting for their parent, per depth, with the self time of every call below them.
  const pending = new Map<number, Array<{ call: Call; subtree: Array<{ path: string[]; self: number }> }>>();
  for (const call of calls) {
    const children = pending.get(call.depth + 1) ?? [];
    pending.delete(call.depth + 1);
    const childMs = children.reduce((sum, c) => sum + c.call.ms, 0);
    const subtree = [{ path: [call.name], self: call.ms - childMs }];
    for (const child of children) for (const entry of child.subtree) subtree.push({ path: [call.name, ...entry.path], self: entry.self });
    if (call.depth <= 1) {
      for (const entry of subtree) add(paths, entry.path.join(' › '), entry.self);
      add(topLevel, call.name, call.ms);
    } else {
      const list = pending.get(call.depth) ?? [];
      list.push({ call, subtree });
      pending.set(call.depth, list);
    }
  }
  return { paths, topLevel };
}

function add(map: Map<string, PathTotal>, key: string, ms: number): void {
  const entry = map.get(key) ?? { path: key, selfMs: 0, count: 0 };
  entry.selfMs += ms;
  entry.count += 1;
  map.set(key, entry);
}

function table(title: string, rows: readonly PathTotal[], steps: number, totalMs: number): string {
  const lines = [`${title}`, '', '| kernel (call path) | ms/step | % | calls/step |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(`| ${r.path} | ${(r.selfMs / steps).toFixed(1)} | ${((100 * r.selfMs) / totalMs).toFixed(1)} | ${r.count / steps} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  await selectBackend({ force: 'wasm', log: () => {} });
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  if (wasmBuiltins) {
    for (const config of displacedWasmKernels.values()) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
  }
  tagKernelDepth();

  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 });
  const task = new ClassificationTask(model);
  const batch: ClassificationBatch = {
    ids: Int32Array.from({ length: batchSize }, (_, i) => i),
    images: tf.randomNormal([batchSize, 28, 28, 1], 0, 1, 'float32', 11) as tf.Tensor4D,
    labels: tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([batchSize], 0, 10, 'float32', 12)), 'int32')) as tf.Tensor1D,
  };

  const forward = () => {
    const losses = tf.tidy(() => task.perSampleLoss(batch, FIRST_PASS));
    losses.dataSync();
    losses.dispose();
  };
  const fwdBwd = () => tf.dispose(lossAndGradients(task, batch, FIRST_PASS).gradients);
  const sam = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
  const samStep = () => void sam.step({ task, batch, learningRate: 0.01 });

  // Warm up (wasm compiles kernels and XNNPACK builds operators on first use), then profile.
  fwdBwd();
  fwdBwd();
  if (profileSam) samStep();
  const tensorsBefore = tf.memory().numTensors;
  const calls: Call[] = [];
  const profileStart = performance.now();
  for (let i = 0; i < profileSteps; i++) {
    const info = await tf.profile(() => (profileSam ? samStep() : fwdBwd()));
    for (const k of info.kernels) {
      const depth = Number(/depth=(\d+)/.exec(String(k.extraInfo))?.[1] ?? 1);
      calls.push({ name: k.name, depth, ms: k.kernelTimeMs as number });
    }
  }
  const profiledWallMs = (performance.now() - profileStart) / profileSteps;
  if (!profileSam && tf.memory().numTensors !== tensorsBefore) throw new Error('profile-step: the fwd+bwd step leaked tensors');

  const { paths, topLevel } = selfTimes(calls);
  const kernelMs = [...topLevel.values()].reduce((sum, r) => sum + r.selfMs, 0);
  const byPath = [...paths.values()].sort((a, b) => b.selfMs - a.selfMs);
  const byTop = [...topLevel.values()].sort((a, b) => b.selfMs - a.selfMs);

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
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage1m: os.loadavg()[0],
  };
  const summary = [
    `resnet-small (${model.parameterCount()} parameters), batch ${batchSize}×28×28×1, wasm` +
      `${wasmBuiltins ? ` with its built-in ${[...displacedWasmKernels.keys()].join(', ')}` : ''}; profiled ${profileSteps} ${profileSam ? 'SAM' : 'fwd+bwd'} steps:`,
    `kernel time ${(kernelMs / profileSteps).toFixed(1)} ms/step of ${profiledWallMs.toFixed(1)} ms/step wall under tf.profile.`,
    '',
    table('Self time per kernel call path (composed kernels broken down):', byPath.slice(0, top), profileSteps, kernelMs),
    '',
    table('Inclusive time of the kernels the ops called (top level):', byTop.slice(0, top), profileSteps, kernelMs),
    '',
    '| pass | wall ms | images/s (wall) | CPU ms | images/s (CPU time) |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(throughput).map(
      ([k, t]) => `| ${k} | ${t.wallMs.toFixed(1)} | ${t.imagesPerSecWall.toFixed(1)} | ${t.cpuMs.toFixed(1)} | ${t.imagesPerSecCpu.toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(summary);
  console.log(`\n${JSON.stringify(environment)}`);

  const dir = path.resolve(__dirname, '../../bench-results/profile-step');
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = path.join(dir, `${date.replace(/:/g, '-')}.json`);
  const record = {
    date,
    command: `npx tsx tools/bench/profile-step.ts ${process.argv.slice(2).join(' ')}`.trim(),
    environment,
    batchSize,
    wasmBuiltins: wasmBuiltins ? [...displacedWasmKernels.keys()] : [],
    profiledPass: profileSam ? 'sam' : 'fwdBwd',
    profileSteps,
    kernelMsPerStep: kernelMs / profileSteps,
    profiledWallMsPerStep: profiledWallMs,
    selfTimeByPath: byPath.map((r) => ({ ...r, msPerStep: r.selfMs / profileSteps, callsPerStep: r.count / profileSteps })),
    inclusiveTopLevel: byTop.map((r) => ({ ...r, msPerStep: r.selfMs / profileSteps, callsPerStep: r.count / profileSteps })),
    throughput,
    markdown: summary,
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  sam.dispose();
  model.dispose();
  tf.dispose([batch.images, batch.labels]);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
