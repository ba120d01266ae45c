/**
 * `npm run bench -- e2e-throughput [--rounds 3] [--workloads fashion-mnist,cifar-resnet20] [--methods sam,ausam] [--routes default,1,threads] [--train-limit n] [--no-torch] [--out dir]`
 *
 * Images/s of the built `ausam-classify train`'s epoch against PyTorch's loop on the same recipe,
 * data and cores (`tools/throughput/torch_epoch.py`), interleaved, and each route's start-up over
 * one core's: docs/benchmarks.md (End-to-end throughput). Routes: `default` (a replica per core),
 * `1` (one thread), `threads` (one replica on wasm's threaded build, `AUSAM_WASM_THREADS` = cores;
 * run only when named). Run `npx nx run-many -t build` first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from '../statistics';
import { syntheticCifar10 } from './synthetic-cifar10';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'packages/classification/bin/ausam-classify.js');
const TORCH_SCRIPT = path.join(REPO, 'tools/throughput/torch_epoch.py');
const METHODS = ['sam', 'ausam'] as const;
const ROUTES = ['default', '1', 'threads'] as const;
/** Config and default training images of each workload; `cifar-resnet20` reads synthetic CIFAR-10 files. */
const WORKLOADS = { 'fashion-mnist': { config: 'fashion-mnist-demo.json', images: 12800 }, 'cifar-resnet20': { config: 'cifar10-resnet20-cpu.json', images: 2560 } } as const;
const TEST_LIMIT = 500;

type Method = (typeof METHODS)[number];
type Route = (typeof ROUTES)[number];
type Workload = keyof typeof WORKLOADS;

/** The suite's settings when no flag is given (`trainLimit` undefined: each workload's own count). */
const defaults = () => ({ rounds: 3, workloads: Object.keys(WORKLOADS) as Workload[], methods: [...METHODS], routes: ROUTES.slice(0, 2) as Route[], trainLimit: undefined as number | undefined, torch: true, out: path.join(REPO, 'bench-results/e2e-throughput') });
type E2eArguments = ReturnType<typeof defaults>;

/** One run's images/s; our runs also give their wall seconds outside the trainer (start-up, shutdown) and the lines naming backend and replicas. */
type E2eMeasurement = { round: number; workload: Workload; method: Method; route: Route; impl: 'ours' | 'pytorch'; imagesPerSec: number; loadAverage1mBefore: number; outsideTrainerSeconds?: number; routeLines?: string[] };

function listOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const unknown = text.split(',').find((item) => !allowed.includes(item as T));
  if (unknown !== undefined) throw new Error(`e2e-throughput: ${flag}: expected some of ${allowed.join(',')}, found '${unknown}'`);
  return text.split(',') as T[];
}

function positive(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`e2e-throughput: ${flag}: expected a positive integer, found '${text}'`);
  return n;
}

/** Parses the suite's argv (after its name). */
export function parseE2eArguments(argv: readonly string[]): E2eArguments {
  const args = defaults();
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--no-torch') args.torch = false;
    else if (flag === '--rounds') (args.rounds = positive(flag, value)), i++;
    else if (flag === '--train-limit') (args.trainLimit = positive(flag, value)), i++;
    else if (flag === '--workloads') (args.workloads = listOf(flag, value ?? '', Object.keys(WORKLOADS) as Workload[])), i++;
    else if (flag === '--methods') (args.methods = listOf(flag, value ?? '', METHODS)), i++;
    else if (flag === '--routes') (args.routes = listOf(flag, value ?? '', ROUTES)), i++;
    else if (flag === '--out') (args.out = path.resolve(value ?? '')), i++;
    else throw new Error(`e2e-throughput: unknown argument '${flag}' (see tools/bench/suites/e2e-throughput.ts)`);
  }
  return args;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv, what: string): string {
  const child = spawnSync(command, argv, { encoding: 'utf8', cwd: REPO, env, maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`e2e-throughput: ${what} failed (exit ${child.status ?? child.signal}): ${child.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return `${child.stdout}\n${child.stderr}`;
}

/** A workload's training image count and, for `cifar-resnet20`, its synthetic CIFAR-10 folder. */
type Prepared = { workload: Workload; images: number; dataDir?: string };

/** Our epoch through the CLI: its summary.json's last epoch images/s, the route lines, and the wall time outside the trainer. */
function measureOurs(data: Prepared, method: Method, route: Route) {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-e2e-'));
  const threads = { default: undefined, '1': '1', threads: String(os.availableParallelism()) }[route];
  const env: NodeJS.ProcessEnv = { ...process.env, AUSAM_WASM_THREADS: threads };
  const argv = [CLI, 'train', '--config', path.join(REPO, 'packages/classification/configs', WORKLOADS[data.workload].config), '--method', method];
  argv.push('--train-limit', String(data.images), '--test-limit', String(TEST_LIMIT), '--epochs', method === 'ausam' ? '2' : '1');
  argv.push('--no-progress', '--overwrite', '--output', output, ...(data.dataDir ? ['--dataset-path', data.dataDir] : []));
  if (route === '1') argv.push('--replicas', '1');
  try {
    const started = performance.now();
    const text = run(process.execPath, argv, env, `ausam-classify (${data.workload}, ${method}, route ${route})`);
    const processSeconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(fs.readFileSync(path.join(output, 'summary.json'), 'utf8')) as { wallSeconds: number; history: { samplesPerSecond: number }[] };
    const routeLines = text.split('\n').filter((line) => /backend:|data-parallel:/.test(line)).map((line) => line.trim());
    return { imagesPerSec: summary.history[summary.history.length - 1].samplesPerSecond, routeLines, outsideTrainerSeconds: processSeconds - summary.wallSeconds };
  } finally {
    fs.rmSync(output, { recursive: true, force: true });
  }
}

function measureTorch(data: Prepared, method: Method, route: Route): number {
  const threads = route === '1' ? 1 : os.availableParallelism();
  const argv = [TORCH_SCRIPT, '--workload', data.workload, '--method', method, '--threads', String(threads), '--train-limit', String(data.images)];
  const text = run(PYTHON, [...argv, ...(data.dataDir ? ['--data-dir', data.dataDir] : [])], process.env, `torch_epoch.py (${data.workload}, ${method}, ${threads} threads)`);
  const line = text.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`e2e-throughput: torch_epoch.py printed no JSON:\n${text.slice(-2000)}`);
  return JSON.parse(line).imagesPerSec as number;
}

/** Pairs of measurements of the same round, workload and method, e.g. ours and PyTorch's. */
function pairs(first: readonly E2eMeasurement[], second: readonly E2eMeasurement[]): [E2eMeasurement, E2eMeasurement][] {
  return first.flatMap((a) => second.filter((b) => b.round === a.round && b.workload === a.workload && b.method === a.method).map((b): [E2eMeasurement, E2eMeasurement] => [a, b]));
}

/**
 * Per workload, method and route: medians (and ranges) of both sides' images/s, their ratios per
 * round and of medians; on the other routes' rows, their seconds outside the trainer minus one
 * core's, per round (same workload and method), and their median.
 */
export function e2eTable(measurements: readonly E2eMeasurement[], workloads: readonly Workload[], methods: readonly Method[], routes: readonly Route[]): string {
  const rows = ['| workload | method | route | ours, images/s median (range) | PyTorch, images/s median (range) | ours ÷ PyTorch per round | ratio of medians | start-up over 1 core per round (median), s |'];
  rows.push('|---|---|---|---:|---:|---|---:|---|');
  const cell = (values: number[]) => (values.length === 0 ? '—' : `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`);
  for (const workload of workloads) {
    for (const method of methods) {
      for (const route of routes) {
        const of = (impl: 'ours' | 'pytorch', at = route) => measurements.filter((m) => m.workload === workload && m.method === method && m.route === at && m.impl === impl);
        const [ours, torch] = [of('ours'), of('pytorch')];
        const startup = route !== '1' ? pairs(ours, of('ours', '1')).map(([d, one]) => d.outsideTrainerSeconds! - one.outsideTrainerSeconds!) : [];
        const perRound = pairs(ours, torch).map(([o, t]) => (o.imagesPerSec / t.imagesPerSec).toFixed(2));
        const ratio = torch.length > 0 && ours.length > 0 ? (median(ours.map((m) => m.imagesPerSec)) / median(torch.map((m) => m.imagesPerSec))).toFixed(2) : '—';
        const routeName = { '1': '1 core', default: `default (${os.availableParallelism()} cores)`, threads: `${os.availableParallelism()}-thread build` }[route];
        rows.push(`| ${workload} | ${method} | ${routeName} | ${cell(ours.map((m) => m.imagesPerSec))} | ${cell(torch.map((m) => m.imagesPerSec))} | ${perRound.join(', ') || '—'} | ${ratio} | ${startup.length ? `${startup.map((d) => d.toFixed(2)).join(', ')} (${median(startup).toFixed(2)})` : '—'} |`);
      }
    }
  }
  return rows.join('\n');
}

/** Per workload and route, both sides' AUSAM epoch time over their SAM epoch time, per round (SAM's images/s ÷ AUSAM's) and its median. */
export function epochTimeRatioTable(measurements: readonly E2eMeasurement[], workloads: readonly Workload[], routes: readonly Route[]): string {
  const rows = ['| workload | route | ours, AUSAM ÷ SAM epoch time per round (median) | PyTorch, the same |', '|---|---|---|---|'];
  const ratios = (workload: Workload, route: Route, impl: 'ours' | 'pytorch') => {
    const of = (method: Method) => measurements.filter((m) => m.workload === workload && m.route === route && m.impl === impl && m.method === method);
    const ausam = of('ausam');
    const values = of('sam').flatMap((sam) => ausam.filter((a) => a.round === sam.round).map((a) => sam.imagesPerSec / a.imagesPerSec));
    return values.length ? `${values.map((v) => v.toFixed(3)).join(', ')} (${median(values).toFixed(3)})` : '—';
  };
  for (const workload of workloads) for (const route of routes) rows.push(`| ${workload} | ${route === '1' ? '1 core' : route} | ${ratios(workload, route, 'ours')} | ${ratios(workload, route, 'pytorch')} |`);
  return rows.join('\n');
}

/** Entry point of the suite (argv after its name). */
export async function runE2eThroughputSuite(argv: readonly string[]): Promise<void> {
  const args = parseE2eArguments(argv);
  if (!fs.existsSync(path.join(REPO, 'packages/classification/dist/cli.js'))) {
    throw new Error('e2e-throughput: packages/classification/dist is missing; run `npx nx run-many -t build` first');
  }
  const probe = args.torch ? spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }) : undefined;
  const torch = probe?.status === 0 ? probe.stdout.trim() : undefined;
  if (args.torch && !torch) console.log(`[e2e] PyTorch side skipped: ${PYTHON} cannot import torch`);
  const prepared = args.workloads.map((workload): Prepared => ({ workload, images: args.trainLimit ?? WORKLOADS[workload].images }));
  for (const p of prepared) if (p.workload === 'cifar-resnet20') p.dataDir = syntheticCifar10(p.images, TEST_LIMIT);
  for (const p of prepared) if (p.dataDir) console.log(`[e2e] ${p.workload}: synthetic CIFAR-10 images (seeded random pixels, for throughput only) in ${p.dataDir}`);
  const measurements: E2eMeasurement[] = [];
  const started = new Date();
  for (let round = 1; round <= args.rounds; round++) {
    for (const data of prepared) {
      for (const method of args.methods) {
        for (const route of args.routes) {
          const at = { round, workload: data.workload, method, route };
          const load = os.loadavg()[0];
          const ours = measureOurs(data, method, route);
          measurements.push({ ...at, impl: 'ours', ...ours, loadAverage1mBefore: load });
          console.log(`[e2e] round ${round} ${data.workload} ${method} route ${route}: ours ${ours.imagesPerSec.toFixed(0)} images/s, ${ours.outsideTrainerSeconds.toFixed(2)} s outside the trainer (${ours.routeLines.join('; ')})`);
          if (!torch) continue;
          const torchLoad = os.loadavg()[0];
          const rate = measureTorch(data, method, route);
          measurements.push({ ...at, impl: 'pytorch', imagesPerSec: rate, loadAverage1mBefore: torchLoad });
          console.log(`[e2e] round ${round} ${data.workload} ${method} route ${route}: PyTorch ${rate.toFixed(0)} images/s`);
        }
      }
    }
  }
  const loads = measurements.map((m) => m.loadAverage1mBefore);
  const images = prepared.map((p) => `${p.workload} ${p.images}${p.dataDir ? ' (synthetic CIFAR-10, seeded random pixels: throughput only)' : ''}`).join(', ');
  const markdown =
    `# End-to-end throughput, ${started.toISOString()}\n\n` +
    `\`npm run bench -- e2e-throughput ${argv.join(' ')}\`: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.availableParallelism()} usable cores, ` +
    `PyTorch ${torch ?? 'not run'}, training images: ${images}; ${args.rounds} interleaved rounds; ` +
    `1-minute load average before each run ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.\n\n` +
    `${e2eTable(measurements, args.workloads, args.methods, args.routes)}\n` +
    (args.methods.length === 2 ? `\n${epochTimeRatioTable(measurements, args.workloads, args.routes)}\n` : '');
  console.log(`\n${markdown}`);
  fs.mkdirSync(args.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(args.out, `${stamp}.json`), `${JSON.stringify({ arguments: args, torch, measurements }, null, 2)}\n`);
  fs.writeFileSync(path.join(args.out, `${stamp}.md`), markdown);
  console.log(`[e2e] wrote ${path.join(args.out, stamp)}.json and .md`);
}
