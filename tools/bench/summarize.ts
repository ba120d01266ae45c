import type { MethodRun } from './run-methods';
import { meanAndSampleStd } from './statistics';

/** One row of the comparison table: a method over all its seeds. */
export interface MethodRow {
  label: string;
  seeds: number;
  headlineMean: number;
  headlineStd: number;
  /** Mean loss over the last epoch's steps (at w, before each update). */
  finalTrainLoss: number;
  trainSeconds: number;
  samplesPerSecond: number;
  /** trainSeconds / SAM's trainSeconds (same run). */
  timeRatioToSam: number;
  /** SAM's trainSeconds / this: the speed-up over SAM the paper reports. */
  speedupOverSam: number;
  fractionOfSamWork: number;
  /** Sampler time (planning, selection, score updates) as a fraction of training time. */
  samplerOverhead: number;
  /** Headline minus SAM's on the same seed, over the seeds both ran (absent for SAM or without it). */
  gapToSam?: PairedDifference;
  /** Headline minus the uniform control's on the same seed (absent for the control or without it). */
  gapToUniform?: PairedDifference;
  /** Headline minus AUSAM's on the same seed (absent for AUSAM or without it): peers at its budget. */
  gapToAusam?: PairedDifference;
  /** Mean ± sample std of each of the runs' extras, over the seeds that have it. */
  extras?: Record<string, { mean: number; std: number; seeds: number }>;
}

/** Mean ± sample std of per-seed differences, and over how many seeds. */
export interface PairedDifference {
  mean: number;
  std: number;
  seeds: number;
}

/** Differences of `runs`' headline to `reference`'s on the seeds both have; undefined if none. */
export function pairedDifference(runs: MethodRun[], reference: MethodRun[]): PairedDifference | undefined {
  const bySeed = new Map(reference.map((r) => [r.seed, r.headline]));
  const differences = runs.filter((r) => bySeed.has(r.seed)).map((r) => r.headline - bySeed.get(r.seed)!);
  if (differences.length === 0) return undefined;
  return { ...meanAndSampleStd(differences), seeds: differences.length };
}

const isUniformControl = (label: string) => label === 'uniform' || label.startsWith('uniform@');
const isAusam = (label: string) => label === 'ausam' || label.startsWith('ausam@');

export function summarize(runs: MethodRun[]): MethodRow[] {
  const labels = [...new Set(runs.map((r) => r.label))];
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const samRuns = runs.filter((r) => r.label === 'sam');
  const uniformRuns = runs.filter((r) => isUniformControl(r.label));
  // The first AUSAM setting in run order is the reference (a suite may sweep α).
  const ausamLabel = labels.find(isAusam);
  const ausamRuns = runs.filter((r) => r.label === ausamLabel);
  const samSeconds = meanOf(samRuns.map((r) => r.trainSeconds));
  return labels.map((label) => {
    const mine = runs.filter((r) => r.label === label);
    const { mean, std } = meanAndSampleStd(mine.map((r) => r.headline));
    const seconds = meanOf(mine.map((r) => r.trainSeconds));
    return {
      label,
      seeds: mine.length,
      headlineMean: mean,
      headlineStd: std,
      finalTrainLoss: meanOf(mine.map((r) => r.finalTrainLoss)),
      trainSeconds: seconds,
      samplesPerSecond: meanOf(mine.map((r) => r.samplesPerSecond)),
      timeRatioToSam: samSeconds > 0 ? seconds / samSeconds : Number.NaN,
      speedupOverSam: samSeconds > 0 ? samSeconds / seconds : Number.NaN,
      fractionOfSamWork: meanOf(mine.map((r) => r.fractionOfSamWork)),
      samplerOverhead: meanOf(mine.map((r) => r.samplerSeconds / Math.max(1e-9, r.trainSeconds))),
      gapToSam: label === 'sam' ? undefined : pairedDifference(mine, samRuns),
      gapToUniform: isUniformControl(label) ? undefined : pairedDifference(mine, uniformRuns),
      gapToAusam: label === ausamLabel ? undefined : pairedDifference(mine, ausamRuns),
      extras: summarizeExtras(mine),
    };
  });
}

function summarizeExtras(runs: MethodRun[]): MethodRow['extras'] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.extras ?? {})))];
  if (names.length === 0) return undefined;
  return Object.fromEntries(
    names.map((name) => {
      const values = runs.map((r) => r.extras?.[name]).filter((v): v is number => v !== undefined);
      return [name, { ...meanAndSampleStd(values), seeds: values.length }];
    }),
  );
}

/** The runs' extras (fractions) as a Markdown table in %, mean ± std over seeds; '' when no row has any. */
export function extrasTable(rows: MethodRow[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.extras ?? {})))];
  if (names.length === 0) return '';
  const cell = (x?: { mean: number; std: number }) => (x ? `${(100 * x.mean).toFixed(2)} ± ${(100 * x.std).toFixed(2)}` : '—');
  return [
    `| method | ${names.map((n) => `${n} (%)`).join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
    ...rows.map((r) => `| ${r.label} | ${names.map((n) => cell(r.extras?.[n])).join(' | ')} |`),
  ].join('\n');
}

/** The Markdown table printed and written by the harness. */
export function markdownTable(rows: MethodRow[], headline: string, scale = 100): string {
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
  const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
  const signed = (x: number) => {
    const rounded = Math.abs(x).toFixed(2);
    return `${x < 0 && Number(rounded) > 0 ? '−' : '+'}${rounded}`;
  };
  const gap = (d: PairedDifference | undefined) => (d ? `${signed(scale * d.mean)} ± ${(scale * d.std).toFixed(2)} (${d.seeds})` : '—');
  const lines = [
    `| method | ${headline} (mean ± std) | seeds | gap to SAM (paired, seeds) | gap to uniform (paired, seeds) | gap to AUSAM (paired, seeds) | final train loss | train s | images/s | time / SAM | speed-up over SAM | passes / SAM's | sampler overhead |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${(scale * r.headlineMean).toFixed(2)} ± ${(scale * r.headlineStd).toFixed(2)} | ${r.seeds} | ${gap(r.gapToSam)} | ${gap(r.gapToUniform)} | ${gap(r.gapToAusam)} | ` +
        `${r.finalTrainLoss.toPrecision(4)} | ${r.trainSeconds.toFixed(1)} | ${r.samplesPerSecond.toFixed(0)} | ${ratio(r.timeRatioToSam)} | ` +
        `${pct(r.speedupOverSam - 1)} | ${pct(r.fractionOfSamWork)} | ${pct(r.samplerOverhead)} |`,
    ),
  ];
  return lines.join('\n');
}
