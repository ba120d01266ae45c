// `npm run bench -- <suite> [--quick] [--methods sgd,sam,ausam] [--rho 0.05] [--out bench-results]`
import * as fs from 'fs';
import * as path from 'path';
import { METHOD_NAMES, selectBackend, type MethodName } from '@ausam/core';
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
  const backend = await selectBackend();
  const started = new Date();
  const log = (line: string) => console.error(line);
  log(`[bench] ${suite.name}${quick ? ' (quick)' : ''}: ${suite.describe(quick)}`);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(outRoot, suite.name);
  fs.mkdirSync(dir, { recursive: true });
  // Completed runs are saved as they finish, so an interrupted suite keeps what it measured.
  const partialFile = path.join(dir, `${stamp}.partial.json`);
  const onRun = (done: MethodRun[]) =>
    fs.writeFileSync(partialFile, JSON.stringify({ suite: suite.name, quick, rows: summarize(done), runs: done.map(withoutProbabilities) }, null, 2) + '\n');
  const runs = await runMethods(suite, { quick, methods, log, onRun });
  fs.rmSync(partialFile, { force: true });
  const rows = summarize(runs);
  const headline = suite.headline.join(' ');
  const table = markdownTable(rows, headline, suite.headlineScale ?? 100);
  const plots = await writePlots(runs, path.join(dir, `${stamp}-plots`), headline);
  const record = {
    suite: suite.name,
    quick,
    description: suite.describe(quick),
    backend: backend.name,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    startedAt: started.toISOString(),
    wallSeconds: (Date.now() - started.getTime()) / 1000,
    rows,
    runs: runs.map(withoutProbabilities),
    plots,
  };
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(record, null, 2) + '\n');
  const markdown = `## ${suite.name}${quick ? ' (quick)' : ''} — ${started.toISOString()}\n\n${suite.describe(quick)}\nBackend: ${backend.name}. Command: \`${record.command}\`. Wall time ${record.wallSeconds.toFixed(0)} s.\n\n${table}\n\nPlots: ${plots.map((p) => `\`${p}\``).join(', ')}\n`;
  fs.writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  console.log(markdown);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
