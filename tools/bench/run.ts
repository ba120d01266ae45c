// `npm run bench -- merge a.json b.json ...` pools result files of one suite.
// `npm run bench -- <suite> [--quick] [--methods sgd,sam,ausam] [--rho 0.05] [--seeds 1,2] [--epochs N] [--jobs 2] [--out bench-results]`
import * as fs from 'fs';
import * as path from 'path';
import { METHOD_NAMES, selectBackend, type MethodName, type MethodSpec } from '@ausam/core';
import { mergeResults } from './merge';
import { runMethodsInChildren, serializeRuns } from './parallel';
import { writePlots } from './plots';
import { runMethods, type MethodRun } from './run-methods';
import type { BenchSuite } from './suite';
import { markdownTable, summarize } from './summarize';
import { SUITES } from './suites';

/** Per-sample probabilities are plotted, not stored: they would dominate the JSON. */
function withoutProbabilities({ probabilityRatios, ...rest }: MethodRun) {
  return { ...rest, ausamEpochs: probabilityRatios?.length };
}

function parseArgs(argv: string[]) {
  const [suiteName, ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new Error(`bench: unexpected argument '${arg}'`);
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  return { suiteName, flags };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'kernels') {
    // The kernel micro-benchmarks are their own script (GFLOP/s, not methods).
    await import('./kernels');
    return;
  }
  if (process.argv[2] === 'merge') {
    console.log(mergeResults(process.argv.slice(3)));
    return;
  }
  const { suiteName, flags } = parseArgs(process.argv.slice(2));
  const suiteNames = Object.keys(SUITES);
  if (!suiteName || !(suiteName in SUITES)) {
    throw new Error(`bench: expected a suite (${[...suiteNames, 'kernels'].join(', ')}), found '${suiteName ?? ''}'`);
  }
  const quick = flags.has('quick');
  const outRoot = typeof flags.get('out') === 'string' ? (flags.get('out') as string) : 'bench-results';
  const suite = SUITES[suiteName] as BenchSuite;
  let methods = suite.methods(quick);
  const methodFlag = flags.get('methods');
  if (typeof methodFlag === 'string') {
    // Named methods keep the suite's settings (base optimizer, ρ); others borrow SAM's.
    const known = [...suite.methods(false), ...suite.methods(true)];
    const samSpec = known.find((m) => m.method === 'sam') ?? { method: 'sam' };
    methods = methodFlag.split(',').map((name) => {
      if (!METHOD_NAMES.includes(name as MethodName)) throw new Error(`bench --methods: unknown method '${name}' (expected ${METHOD_NAMES.join(', ')})`);
      return known.find((m) => m.method === name) ?? { ...samSpec, method: name as MethodName };
    });
  }
  const rhoFlag = flags.get('rho');
  if (typeof rhoFlag === 'string') {
    const rho = Number(rhoFlag);
    if (!(rho > 0)) throw new Error(`bench --rho: expected a positive number, found '${rhoFlag}'`);
    methods = methods.map((m) => (m.method === 'sgd' ? m : { ...m, rho }));
  }
  const seedsFlag = flags.get('seeds');
  const seeds =
    typeof seedsFlag === 'string'
      ? seedsFlag.split(',').map((text) => {
          const seed = Number(text);
          if (!Number.isInteger(seed)) throw new Error(`bench --seeds: expected comma-separated integers, found '${seedsFlag}'`);
          return seed;
        })
      : suite.seeds(quick);
  const epochsFlag = flags.get('epochs');
  let epochs: number | undefined;
  if (epochsFlag !== undefined) {
    epochs = Number(epochsFlag);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`bench --epochs: expected a positive integer, found '${String(epochsFlag)}'`);
  }
  const backend = await selectBackend();
  const log = (line: string) => console.error(line);
  const runsOut = flags.get('runs-out');
  if (typeof runsOut === 'string') {
    // A child of --jobs: one method (given as its full spec), runs written for the parent to merge.
    const spec = JSON.parse(String(flags.get('spec'))) as MethodSpec;
    const runs = await runMethods(suite, { quick, epochs, methods: [spec], seeds, log });
    fs.writeFileSync(runsOut, serializeRuns(runs));
    return;
  }
  const jobsFlag = flags.get('jobs') ?? '1';
  const jobs = Number(jobsFlag);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`bench --jobs: expected a positive integer, found '${jobsFlag}'`);
  const started = new Date();
  log(`[bench] ${suite.name}${quick ? ' (quick)' : ''}: ${suite.describe(quick, epochs)}`);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(outRoot, suite.name);
  fs.mkdirSync(dir, { recursive: true });
  // Completed runs are saved as they finish, so an interrupted suite keeps what it measured.
  const partialFile = path.join(dir, `${stamp}.partial.json`);
  const onRun = (done: MethodRun[]) =>
    fs.writeFileSync(partialFile, JSON.stringify({ suite: suite.name, quick, rows: summarize(done), runs: done.map(withoutProbabilities) }, null, 2) + '\n');
  const runs =
    jobs > 1
      ? await runMethodsInChildren({ suiteName: suite.name, quick, epochs, methods, seeds, jobs, log, onRun })
      : await runMethods(suite, { quick, epochs, methods, seeds, log, onRun });
  fs.rmSync(partialFile, { force: true });
  const rows = summarize(runs);
  const headline = suite.headline.join(' ');
  const table = markdownTable(rows, headline, suite.headlineScale ?? 100);
  const plots = await writePlots(runs, path.join(dir, `${stamp}-plots`), headline);
  const record = {
    suite: suite.name,
    quick,
    description: suite.describe(quick, epochs),
    backend: backend.name,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    startedAt: started.toISOString(),
    wallSeconds: (Date.now() - started.getTime()) / 1000,
    parallelJobs: jobs,
    rows,
    runs: runs.map(withoutProbabilities),
    plots,
  };
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(record, null, 2) + '\n');
  const markdown = `## ${suite.name}${quick ? ' (quick)' : ''} — ${started.toISOString()}\n\n${suite.describe(quick, epochs)}\nBackend: ${backend.name}. Command: \`${record.command}\`. Wall time ${record.wallSeconds.toFixed(0)} s${jobs > 1 ? `, ${jobs} runs at a time, one process each` : ''}.\n\n${table}\n\nPlots: ${plots.map((p) => `\`${p}\``).join(', ')}\n`;
  fs.writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  console.log(markdown);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
