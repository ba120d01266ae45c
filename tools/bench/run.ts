// `npm run bench -- --help` lists the suites and their flags (usage.ts).
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend } from '@ausam/core';
import { parseBenchArguments } from './bench-arguments';
import { mergeResults } from './merge';
import { runMethodsInChildren, serializeRuns } from './parallel';
import { writePlots } from './plots';
import { runMethods, type MethodRun } from './run-methods';
import { extrasTable, markdownTable, summarize } from './summarize';
import { SCRIPT_SUITES } from './suites';
import { benchUsage } from './usage';

/** Per-sample probabilities are plotted, not stored: they would dominate the JSON. */
function withoutProbabilities({ probabilityRatios, ...rest }: MethodRun) {
  return { ...rest, ausamEpochs: probabilityRatios?.length };
}

async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(benchUsage());
    return;
  }
  const script = SCRIPT_SUITES[process.argv[2]];
  if (script) return script(process.argv.slice(3));
  if (process.argv[2] === 'merge') {
    console.log(mergeResults(process.argv.slice(3)));
    return;
  }
  const { suite, quick, outRoot, methods, seeds, epochs, jobs, child, suiteArgs } = parseBenchArguments(process.argv.slice(2));
  const backend = await selectBackend();
  const log = (line: string) => console.error(line);
  if (child) {
    // A child of --jobs: one method (given as its full spec), runs written for the parent to merge.
    const runs = await runMethods(suite, { quick, epochs, methods, seeds, log });
    fs.writeFileSync(child.runsOut, serializeRuns(runs));
    return;
  }
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
      ? await runMethodsInChildren({ suiteName: suite.name, suiteArgs, quick, epochs, methods, seeds, jobs, log, onRun })
      : await runMethods(suite, { quick, epochs, methods, seeds, log, onRun });
  fs.rmSync(partialFile, { force: true });
  const rows = summarize(runs);
  const headline = suite.headline.join(' ');
  const extras = extrasTable(rows);
  const table = markdownTable(rows, headline, suite.headlineScale ?? 100) + (extras ? `\n\n${extras}` : '');
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
