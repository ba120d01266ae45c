/**
 * Issue 14's two multi-core routes through the real trainer: `ausam-classify train` (the built
 * CLI) on a config, one child process per variant, variants interleaved round by round:
 * one wasm thread, the threaded build on every core (the default), and `--replicas <cores>`
 * data-parallel replicas. Records each run's images/s (the trainer's training time, evaluation
 * excluded), final test accuracy and loss, and the 1-minute load average before it.
 *
 *   npx tsx tools/bench/throughput/trainer-routes.ts --config packages/classification/configs/fashion-mnist-demo.json \
 *     --method sam --epochs 1 --rounds 2
 *
 * `--variants threads1,threads,replicas` (default: all three) picks the routes; `--seeds 1,2,3`
 * (default: the config's seed) repeats every route per seed, and the table then adds each route's
 * test accuracy minus the first route's, paired by seed (mean ± sample std).
 *
 * Needs `npm run build` (it refuses a build older than the sources). Writes bench-results/trainer-routes/<ISO timestamp>.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'packages/classification/dist/cli.js');

/** The newest modification time (ms) of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The routes run the built CLI: a build older than the sources would measure old code. */
function requireFreshBuild(): void {
  for (const pkg of ['core', 'classification']) {
    const built = path.join(REPO, `packages/${pkg}/dist`);
    if (!fs.existsSync(built)) throw new Error(`trainer-routes: ${built} is missing; run npm run build first`);
    if (newestMtime(path.join(REPO, `packages/${pkg}/src`)) > newestMtime(built)) {
      throw new Error(`trainer-routes: packages/${pkg}/dist is older than its src (it would measure old code); run npm run build first`);
    }
  }
}

function flag(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : process.argv[i + 1];
  if (value === undefined) throw new Error(`trainer-routes: --${name} is required`);
  return value;
}

interface Variant {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly args: string[];
}

interface RouteRun {
  variant: string;
  round: number;
  seed?: number;
  loadAverage1mBefore: number;
  imagesPerSec: number;
  trainSeconds: number;
  testAccuracy: number;
  testLoss: number;
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`trainer-routes: ${CLI} is missing: run 'npm run build' first`);
  const config = flag('config');
  const method = flag('method', 'sam');
  const epochs = flag('epochs', '1');
  const rounds = Number(flag('rounds', '2'));
  const cores = os.availableParallelism();
  const routes: Record<string, Variant> = {
    threads1: { name: '1 wasm thread', env: { AUSAM_WASM_THREADS: '1' }, args: [] },
    threads: { name: `${cores} wasm threads (default)`, env: {}, args: [] },
    replicas: { name: `${cores} replicas`, env: {}, args: ['--replicas', String(cores)] },
  };
  const variants = flag('variants', 'threads1,threads,replicas')
    .split(',')
    .map((key) => {
      if (!routes[key]) throw new Error(`trainer-routes --variants: unknown '${key}' (expected ${Object.keys(routes).join(', ')})`);
      return routes[key];
    });
  requireFreshBuild();
  const seedList = process.argv.includes('--seeds') ? flag('seeds').split(',').map(Number) : [undefined];
  const runs: RouteRun[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-routes-'));
  for (let round = 0; round < rounds; round++) {
    for (const seed of seedList) for (const variant of variants) {
      const output = path.join(work, `${round}-${runs.length}`);
      const loadAverage1mBefore = os.loadavg()[0];
      const env = { ...process.env, ...variant.env };
      if (!('AUSAM_WASM_THREADS' in variant.env)) delete env.AUSAM_WASM_THREADS;
      const child = spawnSync(process.execPath, [CLI, 'train', '--config', config, '--method', method, '--epochs', epochs, '--output', output, '--no-progress', ...variant.args, ...(seed === undefined ? [] : ['--seed', String(seed)])], {
        cwd: REPO,
        env,
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      if (child.status !== 0) throw new Error(`trainer-routes: ${variant.name} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      const summary = JSON.parse(fs.readFileSync(path.join(output, 'summary.json'), 'utf8'));
      const run: RouteRun = {
        variant: variant.name,
        round,
        seed,
        loadAverage1mBefore,
        imagesPerSec: summary.samplesPerSecond,
        trainSeconds: summary.trainSeconds,
        testAccuracy: summary.final.test.accuracy,
        testLoss: summary.final.test.loss,
      };
      runs.push(run);
      console.error(`[trainer-routes] round ${round + 1}/${rounds}${seed === undefined ? '' : ` seed ${seed}`} ${variant.name} (load ${loadAverage1mBefore.toFixed(2)}): ${run.imagesPerSec.toFixed(0)} img/s, test accuracy ${(100 * run.testAccuracy).toFixed(2)}%`);
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const base = median(runs.filter((r) => r.variant === variants[0].name).map((r) => r.imagesPerSec));
  const rows = variants.map((v) => {
    const mine = runs.filter((r) => r.variant === v.name);
    const speed = median(mine.map((r) => r.imagesPerSec));
    const accuracies = mine.map((r) => (100 * r.testAccuracy).toFixed(2)).join(', ');
    return `| ${v.name} | ${speed.toFixed(0)} (${Math.min(...mine.map((r) => r.imagesPerSec)).toFixed(0)}–${Math.max(...mine.map((r) => r.imagesPerSec)).toFixed(0)}) | ${(speed / base).toFixed(2)}× | ${accuracies} |`;
  });
  const command = `npx tsx tools/bench/throughput/trainer-routes.ts ${process.argv.slice(2).join(' ')}`;
  const loads = runs.map((r) => r.loadAverage1mBefore);
  const paired = variants.slice(1).map((v) => {
    const gaps = runs
      .filter((r) => r.variant === v.name)
      .map((r) => 100 * (r.testAccuracy - runs.find((q) => q.variant === variants[0].name && q.round === r.round && q.seed === r.seed)!.testAccuracy));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const std = gaps.length > 1 ? Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / (gaps.length - 1)) : Number.NaN;
    return `- ${v.name} − ${variants[0].name}, test accuracy: ${mean >= 0 ? '+' : ''}${mean.toFixed(2)} ± ${std.toFixed(2)} points (${gaps.length} paired runs: ${gaps.map((g) => g.toFixed(2)).join(', ')})`;
  });
  const table = [
    `| variant | images/s, median (range) | ÷ ${variants[0].name} | test accuracy % per run |`,
    '|---|---:|---:|---|',
    ...rows,
    ...(seedList.length > 1 ? ['', ...paired] : []),
  ].join('\n');
  const markdown =
    `## trainer routes — ${new Date().toISOString()}\n\n\`${command}\`: ${method}, ${epochs} epoch(s), ${rounds} interleaved round(s); ` +
    `${os.cpus()[0]?.model ?? 'CPU'}, ${cores} cores, 1-minute load average before each run ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.\n\n${table}\n`;
  const dir = path.join(REPO, 'bench-results', 'trainer-routes');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify({ command, config, method, epochs, rounds, seeds: seedList, cores, runs }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  console.log(markdown);
}

main();
