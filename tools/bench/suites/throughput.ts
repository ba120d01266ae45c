/**
 * `npm run bench -- throughput [--quick] [--models resnet-small,resnet20] [--methods sgd,sam,ausam]
 * [--batch 128] [--rounds 3] [--steps N] [--threads 1,all] [--replicas all] [--torch-threads 1,all | --no-torch] [--out dir]`
 *
 * Images/s of SGD, SAM and AUSAM steps, ours (`tools/bench/throughput/measure-ours.ts`, wasm) and
 * PyTorch's (`tools/throughput/torch_throughput.py`, Debian's python3-torch, when it imports) on
 * the same architectures, batch and CPU. Every variant runs in its own child process, one at a
 * time, interleaved round by round (ours ×1, PyTorch ×1, ours ×N, PyTorch ×N, next model, next
 * round), so load from other jobs on a shared machine hits both sides alike; the table gives the
 * median and range over rounds and the ratios. The 1-minute load average is recorded before every
 * child. A benchmark, not a test: CI does not run it.
 *
 * Writes bench-results/throughput/<ISO timestamp>.json and .md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseThroughputArguments, type ThroughputArguments, type ThroughputModel } from '../throughput/throughput-arguments';
import { summarizeThroughput, throughputTable, type ThroughputMeasurement } from '../throughput/throughput-table';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../../..');
const TORCH_SCRIPT = path.join(REPO, 'tools/throughput/torch_throughput.py');
const OURS_SCRIPT = path.join(REPO, 'tools/bench/throughput/measure-ours.ts');

interface ChildRun {
  side: string;
  round: number;
  loadAverage1mBefore: number;
  seconds: number;
}

function torchVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Runs one child to completion and parses its JSON lines; a failing child stops the suite with its message. */
function runChild(command: string, args: string[], what: string): Array<Omit<ThroughputMeasurement, 'round'>> {
  const child = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO, maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench throughput: ${what} failed (exit ${child.status ?? child.signal}): ${child.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const m = JSON.parse(line);
      return { impl: m.impl, model: m.model, method: m.method, parallelism: m.parallelism ?? m.threads, imagesPerSec: m.imagesPerSec, wallMsPerStep: m.wallMsPerStep, cpuMsPerStep: m.cpuMsPerStep };
    });
}

function measureRound(args: ThroughputArguments, model: ThroughputModel, round: number, withTorch: boolean, log: (line: string) => void, children: ChildRun[]): ThroughputMeasurement[] {
  const out: ThroughputMeasurement[] = [];
  const common = ['--batch', String(args.batch), '--steps', String(args.steps[model])];
  const sides: Array<{ side: string; command: string; argv: string[] }> = [];
  const counts = [...new Set([...args.threads, ...args.replicas, ...(withTorch ? args.torchThreads : [])])].sort((a, b) => a - b);
  for (const n of counts) {
    if (args.threads.includes(n)) {
      sides.push({ side: `ours ×${n}`, command: process.execPath, argv: [...process.execArgv, OURS_SCRIPT, '--model', model, '--methods', args.methods.join(','), '--threads', String(n), ...common] });
    }
    if (args.replicas.includes(n)) {
      sides.push({ side: `ours ${n} replicas`, command: process.execPath, argv: [...process.execArgv, OURS_SCRIPT, '--model', model, '--methods', args.methods.join(','), '--threads', '1', '--replicas', String(n), ...common] });
    }
    if (withTorch && args.torchThreads.includes(n)) {
      sides.push({ side: `PyTorch ×${n}`, command: PYTHON, argv: [TORCH_SCRIPT, '--model', model, '--method', args.methods.join(','), '--threads', String(n), ...common] });
    }
  }
  for (const { side, command, argv } of sides) {
    const loadAverage1mBefore = os.loadavg()[0];
    const started = performance.now();
    const measured = runChild(command, argv, `${side} on ${model}`);
    const seconds = (performance.now() - started) / 1000;
    children.push({ side: `${side} ${model}`, round, loadAverage1mBefore, seconds });
    log(`[throughput] round ${round + 1}/${args.rounds} ${model} ${side} (load ${loadAverage1mBefore.toFixed(2)}): ${measured.map((m) => `${m.method} ${m.imagesPerSec.toFixed(0)}`).join(', ')} img/s`);
    out.push(...measured.map((m) => ({ ...m, round })));
  }
  return out;
}

/** Entry point of `npm run bench -- throughput …` (argv after the suite name). */
export async function runThroughputSuite(argv: readonly string[]): Promise<void> {
  const cores = os.availableParallelism();
  const args = parseThroughputArguments(argv, cores);
  const log = (line: string) => console.error(line);
  const torch = args.torchThreads.length ? torchVersion() : undefined;
  if (args.torchThreads.length && !torch) log(`[throughput] ${PYTHON} cannot import torch: measuring ours only`);
  const started = new Date();
  const measurements: ThroughputMeasurement[] = [];
  const children: ChildRun[] = [];
  for (let round = 0; round < args.rounds; round++) {
    for (const model of args.models) measurements.push(...measureRound(args, model, round, torch !== undefined, log, children));
  }
  const table = throughputTable(summarizeThroughput(measurements));
  // Process CPU time discounts other jobs' load for one-thread variants (not for a thread pool, whose gain is wall time).
  const byCpu = measurements.map((m) => ({ ...m, imagesPerSec: (m.imagesPerSec * m.wallMsPerStep) / m.cpuMsPerStep }));
  const cpuTable = throughputTable(summarizeThroughput(byCpu));
  const loads = children.map((c) => c.loadAverage1mBefore);
  const command = `npm run bench -- throughput ${argv.join(' ')}`.trim();
  const description =
    `Images/s of one training step (SGD momentum 0.9 wd 5e-4; SAM rho 0.05; AUSAM = SAM on floor(0.5·b) sampled images, images/s over b), ` +
    `batch ${args.batch}, random images; ${args.models.join(', ')}; median (range) of ${args.rounds} interleaved round(s) of ` +
    `${args.models.map((m) => `${args.steps[m]} step(s) on ${m}`).join(', ')} after a warm-up step. ` +
    `Ours: @ausam/core on tfjs-backend-wasm (1 thread: SIMD build; more: threaded SIMD build; replicas: worker-thread replicas of the SIMD build, startReplicas)${torch ? `; PyTorch ${torch} (${PYTHON})` : ''}. ` +
    `${os.cpus()[0]?.model ?? 'CPU'}, ${cores} cores; 1-minute load average before each child ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`;
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(args.outRoot, 'throughput');
  fs.mkdirSync(dir, { recursive: true });
  const record = { suite: 'throughput', command, description, startedAt: started.toISOString(), node: process.version, torch, cores, arguments: args, children, measurements, table, cpuTable };
  fs.writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(record, null, 2)}\n`);
  const markdown = `## throughput — ${started.toISOString()}\n\n${description}\nCommand: \`${command}\`.\n\nBy wall time:\n\n${table}\n\nBy process CPU time (images ÷ CPU seconds; a fair figure for one thread on a loaded machine, not for a thread pool):\n\n${cpuTable}\n`;
  fs.writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  console.log(markdown);
}
