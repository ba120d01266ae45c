/**
 * `npm run bench -- e2e-throughput [--rounds 3] [--methods sam,ausam] [--routes default,1] [--train-limit 12800] [--no-torch] [--out dir]`
 *
 * End-to-end images/s of a training epoch, as a user meets it: the built `ausam-classify train`
 * on the demo config (`packages/classification/configs/fashion-mnist-demo.json`, resnet-small,
 * batch 128, the first `--train-limit` Fashion-MNIST images, `--test-limit 500`, `--no-progress`),
 * parsing the last epoch line's `samples/s` (training time only; evaluation excluded), against
 * PyTorch's training loop on the same recipe and data (`tools/throughput/torch_epoch.py`) on the
 * same cores. Routes: `default` (our default route: one replica per core on wasm; PyTorch with
 * `torch.set_num_threads(cores)`) and `1` (`--replicas 1` with `AUSAM_WASM_THREADS=1`; PyTorch one
 * thread). `sam` runs one epoch; `ausam` runs two (a full-SAM warm-up, then AUSAM) and reports the
 * second, while PyTorch's AUSAM runs its subset steps for one epoch. Every run is its own process,
 * interleaved round by round so load from other jobs hits both sides alike. PyTorch's side is
 * skipped, with a line saying so, when `/usr/bin/python3` cannot import torch.
 *
 * Run `npx nx run-many -t build` first (the CLI runs from dist). A benchmark, not a test: CI does
 * not run it. Writes bench-results/e2e-throughput/<ISO timestamp>.json and .md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'packages/classification/bin/ausam-classify.js');
const CONFIG = path.join(REPO, 'packages/classification/configs/fashion-mnist-demo.json');
const TORCH_SCRIPT = path.join(REPO, 'tools/throughput/torch_epoch.py');
const METHODS = ['sam', 'ausam'] as const;
const ROUTES = ['default', '1'] as const;

type Method = (typeof METHODS)[number];
type Route = (typeof ROUTES)[number];

interface E2eArguments {
  rounds: number;
  methods: Method[];
  routes: Route[];
  trainLimit: number;
  torch: boolean;
  out: string;
}

interface E2eMeasurement {
  round: number;
  method: Method;
  route: Route;
  impl: 'ours' | 'pytorch';
  imagesPerSec: number;
  loadAverage1mBefore: number;
  /** Our side: the lines saying which backend and replicas ran. */
  routeLines?: string[];
}

function listOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`e2e-throughput: ${flag}: expected some of ${allowed.join(',')}, found '${item}'`);
  }
  return items as T[];
}

function positive(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`e2e-throughput: ${flag}: expected a positive integer, found '${text}'`);
  return n;
}

/** Parses the suite's argv (after its name). */
export function parseE2eArguments(argv: readonly string[]): E2eArguments {
  const args: E2eArguments = { rounds: 3, methods: [...METHODS], routes: [...ROUTES], trainLimit: 12800, torch: true, out: path.join(REPO, 'bench-results/e2e-throughput') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--no-torch') args.torch = false;
    else if (flag === '--rounds') (args.rounds = positive(flag, value)), i++;
    else if (flag === '--train-limit') (args.trainLimit = positive(flag, value)), i++;
    else if (flag === '--methods') (args.methods = listOf(flag, value ?? '', METHODS)), i++;
    else if (flag === '--routes') (args.routes = listOf(flag, value ?? '', ROUTES)), i++;
    else if (flag === '--out') (args.out = path.resolve(value ?? '')), i++;
    else throw new Error(`e2e-throughput: unknown argument '${flag}' (see tools/bench/suites/e2e-throughput.ts)`);
  }
  return args;
}

function torchVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv, what: string): string {
  const child = spawnSync(command, argv, { encoding: 'utf8', cwd: REPO, env, maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`e2e-throughput: ${what} failed (exit ${child.status ?? child.signal}): ${child.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return `${child.stdout}\n${child.stderr}`;
}

/** Our epoch through the CLI: the last epoch line's samples/s and the route lines. */
function measureOurs(method: Method, route: Route, trainLimit: number): { imagesPerSec: number; routeLines: string[] } {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AUSAM_WASM_THREADS;
  const argv = [CLI, 'train', '--config', CONFIG, '--method', method, '--train-limit', String(trainLimit), '--test-limit', '500'];
  argv.push('--epochs', method === 'ausam' ? '2' : '1', '--no-progress', '--overwrite', '--output', output);
  if (route === '1') {
    env.AUSAM_WASM_THREADS = '1';
    argv.push('--replicas', '1');
  }
  try {
    const text = run(process.execPath, argv, env, `ausam-classify (${method}, route ${route})`);
    const lines = text.split('\n');
    const epochs = lines.filter((line) => /\] epoch \d+\/\d+ .* samples\/s/.test(line));
    const rate = epochs.length > 0 ? /([\d.]+) samples\/s/.exec(epochs[epochs.length - 1])?.[1] : undefined;
    if (rate === undefined) throw new Error(`e2e-throughput: no 'epoch … samples/s' line in ausam-classify's output:\n${text.slice(-2000)}`);
    return { imagesPerSec: Number(rate), routeLines: lines.filter((line) => /backend:|data-parallel:/.test(line)).map((line) => line.trim()) };
  } finally {
    fs.rmSync(output, { recursive: true, force: true });
  }
}

function measureTorch(method: Method, route: Route, trainLimit: number): number {
  const threads = route === '1' ? 1 : os.availableParallelism();
  const text = run(PYTHON, [TORCH_SCRIPT, '--method', method, '--threads', String(threads), '--train-limit', String(trainLimit)], process.env, `torch_epoch.py (${method}, ${threads} threads)`);
  const line = text.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`e2e-throughput: torch_epoch.py printed no JSON:\n${text.slice(-2000)}`);
  return JSON.parse(line).imagesPerSec as number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The table: per method and route, medians (and ranges) of both sides and the ratio of medians. */
export function e2eTable(measurements: readonly E2eMeasurement[], methods: readonly Method[], routes: readonly Route[]): string {
  const rows = ['| method | route | ours, images/s median (range) | PyTorch, images/s median (range) | ours ÷ PyTorch per round | ratio of medians |', '|---|---|---:|---:|---|---:|'];
  const cell = (values: number[]) => (values.length === 0 ? '—' : `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`);
  for (const method of methods) {
    for (const route of routes) {
      const of = (impl: 'ours' | 'pytorch') => measurements.filter((m) => m.method === method && m.route === route && m.impl === impl);
      const ours = of('ours');
      const torch = of('pytorch');
      const perRound = ours
        .map((m) => ({ m, t: torch.find((t) => t.round === m.round) }))
        .filter((p) => p.t !== undefined)
        .map((p) => (p.m.imagesPerSec / p.t!.imagesPerSec).toFixed(2));
      const ratio = torch.length > 0 && ours.length > 0 ? (median(ours.map((m) => m.imagesPerSec)) / median(torch.map((m) => m.imagesPerSec))).toFixed(2) : '—';
      const routeName = route === '1' ? '1 core' : `default (${os.availableParallelism()} cores)`;
      rows.push(`| ${method} | ${routeName} | ${cell(ours.map((m) => m.imagesPerSec))} | ${cell(torch.map((m) => m.imagesPerSec))} | ${perRound.join(', ') || '—'} | ${ratio} |`);
    }
  }
  return rows.join('\n');
}

/** Entry point of the suite (argv after its name). */
export async function runE2eThroughputSuite(argv: readonly string[]): Promise<void> {
  const args = parseE2eArguments(argv);
  if (!fs.existsSync(path.join(REPO, 'packages/classification/dist/cli.js'))) {
    throw new Error('e2e-throughput: packages/classification/dist is missing; run `npx nx run-many -t build` first');
  }
  const torch = args.torch ? torchVersion() : undefined;
  if (args.torch && !torch) console.log(`[e2e] PyTorch side skipped: ${PYTHON} cannot import torch`);
  const measurements: E2eMeasurement[] = [];
  const started = new Date();
  for (let round = 1; round <= args.rounds; round++) {
    for (const method of args.methods) {
      for (const route of args.routes) {
        const load = os.loadavg()[0];
        const ours = measureOurs(method, route, args.trainLimit);
        measurements.push({ round, method, route, impl: 'ours', imagesPerSec: ours.imagesPerSec, loadAverage1mBefore: load, routeLines: ours.routeLines });
        console.log(`[e2e] round ${round} ${method} route ${route}: ours ${ours.imagesPerSec.toFixed(0)} images/s (${ours.routeLines.join('; ')})`);
        if (torch) {
          const torchLoad = os.loadavg()[0];
          const rate = measureTorch(method, route, args.trainLimit);
          measurements.push({ round, method, route, impl: 'pytorch', imagesPerSec: rate, loadAverage1mBefore: torchLoad });
          console.log(`[e2e] round ${round} ${method} route ${route}: PyTorch ${rate.toFixed(0)} images/s`);
        }
      }
    }
  }
  const table = e2eTable(measurements, args.methods, args.routes);
  const loads = measurements.map((m) => m.loadAverage1mBefore);
  const header =
    `# End-to-end throughput, ${started.toISOString()}\n\n` +
    `\`npm run bench -- e2e-throughput ${argv.join(' ')}\`: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.availableParallelism()} usable cores, ` +
    `PyTorch ${torch ?? 'not run'}, ${args.trainLimit} training images, ${args.rounds} interleaved rounds; ` +
    `1-minute load average before each run ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.\n\n`;
  const markdown = `${header}${table}\n`;
  console.log(`\n${markdown}`);
  fs.mkdirSync(args.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(args.out, `${stamp}.json`), `${JSON.stringify({ arguments: args, torch, measurements }, null, 2)}\n`);
  fs.writeFileSync(path.join(args.out, `${stamp}.md`), markdown);
  console.log(`[e2e] wrote ${path.join(args.out, stamp)}.json and .md`);
}
