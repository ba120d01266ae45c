/**
 * Alternating rounds of the data-parallel probe and the single-process reference (measure-ours.ts
 * at 1 and 2 wasm threads), one child process per configuration per round, the order rotated each
 * round. Writes every measurement, the 1-minute load before each child and the medians to
 * `bench-results/data-parallel-probe/<ISO timestamp>.json`, and prints the median table.
 *
 *   npx tsx tools/bench/throughput/data-parallel/run-rounds.ts --rounds 5
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';

interface Configuration {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  /** AUSAM_WASM_THREADS of the child: core's default (unset) is one thread per core. */
  readonly wasmThreads: string;
}

interface Row {
  readonly round: number;
  readonly configuration: string;
  readonly load1Before: number;
  readonly method: string;
  readonly imagesPerSec: number;
  readonly wallMsPerStep: number;
  readonly exchangeMsPerStep?: number;
  readonly trainableIdentical?: boolean;
  readonly [key: string]: unknown;
}

const ROOT = path.resolve(__dirname, '../../../..');
const MEASURE = 'tools/bench/throughput/measure-ours.ts';
const PROBE = 'tools/bench/throughput/data-parallel/probe.ts';
const COMMON = ['--methods', 'sgd,sam', '--steps', '5'];

const CONFIGURATIONS: readonly Configuration[] = [
  { name: 'one process, 1 wasm thread', script: MEASURE, args: ['--model', 'resnet-small', ...COMMON, '--batch', '128', '--threads', '1'], wasmThreads: '1' },
  { name: 'one process, 2 wasm threads', script: MEASURE, args: ['--model', 'resnet-small', ...COMMON, '--batch', '128', '--threads', '2'], wasmThreads: '2' },
  { name: 'data-parallel, 1 replica', script: PROBE, args: ['--replicas', '1', ...COMMON, '--batch', '128'], wasmThreads: '1' },
  { name: 'data-parallel, 2 replicas', script: PROBE, args: ['--replicas', '2', ...COMMON, '--batch', '128'], wasmThreads: '1' },
  // Diagnostic: one replica's share (b = 64) with no second replica beside it.
  { name: 'diagnostic: 1 replica, b = 64', script: PROBE, args: ['--replicas', '1', ...COMMON, '--batch', '64'], wasmThreads: '1' },
];

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runChild(configuration: Configuration): Record<string, unknown>[] {
  const env = { ...process.env, AUSAM_WASM_THREADS: configuration.wasmThreads };
  const stdout = execFileSync('npx', ['tsx', configuration.script, ...configuration.args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 600_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function main(): void {
  const i = process.argv.indexOf('--rounds');
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3;
  const rows: Row[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CONFIGURATIONS.length; k++) {
      const configuration = CONFIGURATIONS[(k + round) % CONFIGURATIONS.length];
      const load1Before = os.loadavg()[0];
      for (const m of runChild(configuration)) {
        const row = { ...m, round, configuration: configuration.name, load1Before } as Row;
        rows.push(row);
        console.error(`round ${round} ${configuration.name} ${row.method}: ${row.imagesPerSec.toFixed(0)} img/s (load ${load1Before.toFixed(2)})`);
      }
    }
  }
  const medians = CONFIGURATIONS.flatMap((configuration) =>
    ['sgd', 'sam'].map((method) => {
      const mine = rows.filter((r) => r.configuration === configuration.name && r.method === method);
      const images = mine.map((r) => r.imagesPerSec);
      const exchange = mine.map((r) => r.exchangeMsPerStep).filter((x): x is number => x !== undefined);
      return {
        configuration: configuration.name,
        command: `AUSAM_WASM_THREADS=${configuration.wasmThreads} npx tsx ${configuration.script} ${configuration.args.join(' ')}`,
        method,
        rounds: mine.length,
        imagesPerSec: median(images),
        imagesPerSecRange: [Math.min(...images), Math.max(...images)],
        wallMsPerStep: median(mine.map((r) => r.wallMsPerStep)),
        exchangeMsPerStep: exchange.length ? median(exchange) : null,
        trainableIdenticalEveryRound: mine.every((r) => r.trainableIdentical !== false),
        load1Range: [Math.min(...mine.map((r) => r.load1Before)), Math.max(...mine.map((r) => r.load1Before))],
      };
    }),
  );
  const stamp = new Date().toISOString();
  const file = path.join(ROOT, 'bench-results/data-parallel-probe', `${stamp.replace(/:/g, '-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version };
  fs.writeFileSync(file, JSON.stringify({ stamp, rounds, machine, medians, rows }, null, 2) + '\n');
  console.log('| configuration | method | img/s (median, range) | ms/step | exchange ms/step | load (1 min) |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const m of medians) {
    const exchange = m.exchangeMsPerStep === null ? '—' : m.exchangeMsPerStep.toFixed(1);
    console.log(
      `| ${m.configuration} | ${m.method} | ${m.imagesPerSec.toFixed(0)} (${m.imagesPerSecRange.map((x) => x.toFixed(0)).join('–')}) | ${m.wallMsPerStep.toFixed(0)} | ${exchange} | ${m.load1Range.map((x) => x.toFixed(2)).join('–')} |`,
    );
  }
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
}

main();
