import * as fs from 'fs';
import type { MethodRun } from './run-methods';
import { extrasTable, markdownTable, summarize } from './summarize';
import { SUITES } from './suites';

interface ResultFile {
  suite: string;
  quick: boolean;
  /** Absent in a `.partial.json` (the runs finished before a run was stopped). */
  description?: string;
  command?: string;
  runs: MethodRun[];
}

function readResult(file: string): ResultFile {
  if (!fs.existsSync(file)) throw new Error(`bench merge: ${file} does not exist`);
  const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ResultFile>;
  if (!record.suite || !Array.isArray(record.runs)) {
    throw new Error(`bench merge: ${file}: expected a bench result (.json with 'suite' and 'runs'), found keys ${Object.keys(record).join(', ')}`);
  }
  return record as ResultFile;
}

/**
 * One table over the runs of one or more result files of the same suite (e.g. extra seeds run
 * later, or one file re-tabulated by a newer harness):
 * `npm run bench -- merge bench-results/<suite>/a.json bench-results/<suite>/b.json`.
 */
export function mergeResults(files: string[]): string {
  if (files.length < 1) throw new Error('bench merge: expected at least one result file');
  const results = files.map(readResult);
  const [first] = results;
  // A partial result records no description; its setting is checked by suite and --quick only.
  const described = results.find((r) => r.description !== undefined);
  const reference = described ?? first;
  const referenceFile = files[results.indexOf(reference)];
  for (const [i, r] of results.entries()) {
    const sameDescription = r.description === undefined || r.description === reference.description;
    if (r.suite !== reference.suite || r.quick !== reference.quick || !sameDescription) {
      throw new Error(`bench merge: ${files[i]} is '${r.suite}${r.quick ? ' --quick' : ''}' (${r.description ?? 'a partial result'}); expected the setting of ${referenceFile}: '${reference.suite}${reference.quick ? ' --quick' : ''}' (${reference.description ?? 'a partial result'})`);
    }
  }
  const runs = results.flatMap((r) => r.runs);
  const seen = new Set<string>();
  for (const run of runs) {
    const key = `${run.label} seed ${run.seed}`;
    if (seen.has(key)) throw new Error(`bench merge: ${key} appears in more than one file`);
    seen.add(key);
  }
  const suite = SUITES[reference.suite];
  if (!suite) throw new Error(`bench merge: unknown suite '${reference.suite}' (expected ${Object.keys(SUITES).join(', ')})`);
  const rows = summarize(runs);
  const extras = extrasTable(rows);
  const table = markdownTable(rows, suite.headline.join(' '), suite.headlineScale ?? 100) + (extras ? `\n\n${extras}` : '');
  return (
    `## ${reference.suite}${reference.quick ? ' (quick)' : ''}, merged from ${files.length} runs\n\n${reference.description ?? suite.describe(reference.quick)}\n` +
      `Commands: ${results.map((r, i) => (r.command ? `\`${r.command}\`` : `(${files[i]}: a partial result, no command recorded)`)).join('; ')}.\n` +
      (files.length > 1 ? 'Time ratios compare runs made at different times; seeds are pooled.\n\n' : '\n') +
      table
  );
}
