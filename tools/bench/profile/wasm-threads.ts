/**
 * Does tfjs-backend-wasm's threaded SIMD build run its XNNPACK pool under Node, and what does it gain?
 *
 *   npx tsx tools/bench/profile/wasm-threads.ts [--rounds 3] [--threads 1,2] [--iters 5]
 *
 * Each variant runs in its own process (tfjs keeps one wasm instance per process), interleaved round
 * by round: `plain` (the SIMD build tfjs picks under Node, one thread), then the threaded build
 * (`activateThreadedWasm(n)`) with each `--threads` n. Each child times a 1024³ matMul and a conv2d
 * (64×32×32×32 → 32, 3×3 'same') and reads, from /proc, how many CPU ticks each of its threads
 * spent during the timed loop: a pool that really runs shows n busy threads with similar ticks.
 * Prints a Markdown table (median GFLOP/s over rounds, process CPU ÷ wall, busy threads' ticks) and
 * the load average before each child; writes bench-results/wasm-threads/<ISO timestamp>.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { activateThreadedWasm } from '@ausam/core/internal';
import { median } from '../throughput/throughput-table';
import { busyThreads, threadCpuTicks } from './thread-cpu';

interface ChildResult {
  variant: string;
  threadsReported: number;
  kernel: string;
  gflopsWall: number;
  cpuOverWall: number;
  busyThreadTicks: number[];
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

async function child(variant: string, iterations: number): Promise<void> {
  let threadsReported = 1;
  if (variant === 'plain') {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
  } else threadsReported = await activateThreadedWasm(Number(variant));
  const kernels: Array<{ kernel: string; flop: number; run: () => tf.Tensor }> = [];
  const a = tf.randomNormal([1024, 1024], 0, 1, 'float32', 1);
  const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);
  kernels.push({ kernel: 'matMul 1024×1024×1024', flop: 2 * 1024 ** 3, run: () => tf.matMul(a, b) });
  const x = tf.randomNormal([64, 32, 32, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', 4) as tf.Tensor4D;
  kernels.push({ kernel: 'conv2d 64×32×32×32→32, 3×3 same', flop: 2 * 64 * 32 * 32 * 32 * 9 * 32, run: () => tf.conv2d(x, w, 1, 'same') });
  for (const { kernel, flop, run } of kernels) {
    const once = () => {
      const out = run();
      out.dataSync();
      out.dispose();
    };
    once();
    once();
    const ticks = threadCpuTicks();
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < iterations; i++) once();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const result: ChildResult = {
      variant,
      threadsReported,
      kernel,
      gflopsWall: (flop * iterations) / wallMs / 1e6,
      cpuOverWall: (used.user + used.system) / 1000 / wallMs,
      busyThreadTicks: busyThreads(ticks, threadCpuTicks()),
    };
    console.log(JSON.stringify(result));
  }
}

function parent(): void {
  const rounds = Number(flag('rounds', '3'));
  const iterations = flag('iters', '5');
  const variants = ['plain', ...flag('threads', '1,2').split(',')];
  const results: Array<ChildResult & { round: number; loadAverage1m: number }> = [];
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const loadAverage1m = os.loadavg()[0];
      const run = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', variant, '--iters', iterations], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`wasm-threads: child ${variant} failed: ${run.stderr}`);
      for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) results.push({ ...JSON.parse(line), round, loadAverage1m });
      console.error(`[wasm-threads] round ${round + 1}/${rounds} ${variant} (load ${loadAverage1m.toFixed(2)}) done`);
    }
  }
  const lines = ['| kernel | build | pool (getThreadsCount) | GFLOP/s, median (range) | process CPU ÷ wall | busy threads: CPU ticks, last round |', '|---|---|---:|---:|---:|---|'];
  for (const kernel of [...new Set(results.map((r) => r.kernel))]) {
    for (const variant of variants) {
      const rs = results.filter((r) => r.kernel === kernel && r.variant === variant);
      const g = rs.map((r) => r.gflopsWall);
      const build = variant === 'plain' ? 'SIMD (tfjs default)' : `threaded SIMD, ${variant} thread${variant === '1' ? '' : 's'}`;
      lines.push(`| ${kernel} | ${build} | ${rs[0].threadsReported} | ${median(g).toFixed(1)} (${Math.min(...g).toFixed(1)}–${Math.max(...g).toFixed(1)}) | ${median(rs.map((r) => r.cpuOverWall)).toFixed(2)} | ${rs[rs.length - 1].busyThreadTicks.join(', ')} |`);
    }
  }
  const loads = results.map((r) => r.loadAverage1m);
  const markdown = `${lines.join('\n')}\n\n${rounds} interleaved rounds, ${iterations} timed iterations each; 1-minute load average before each child ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} on ${os.cpus().length} cores.`;
  console.log(markdown);
  const dir = path.resolve(__dirname, '../../../bench-results/wasm-threads');
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = path.join(dir, `${date.replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ date, command: `npx tsx tools/bench/profile/wasm-threads.ts ${process.argv.slice(2).join(' ')}`.trim(), cpu: os.cpus()[0]?.model, results, markdown }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

const childVariant = process.argv.indexOf('--child');
if (childVariant >= 0) {
  child(process.argv[childVariant + 1], Number(flag('iters', '5')))
    .then(() => process.exit(0))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
} else parent();
