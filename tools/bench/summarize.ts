import type { MethodRun } from './run-methods';

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
}

export function summarize(runs: MethodRun[]): MethodRow[] {
  const labels = [...new Set(runs.map((r) => r.label))];
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const samSeconds = meanOf(runs.filter((r) => r.label === 'sam').map((r) => r.trainSeconds));
  return labels.map((label) => {
    const mine = runs.filter((r) => r.label === label);
    const values = mine.map((r) => r.headline);
    const mean = meanOf(values);
    const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
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
    };
  });
}

/** The Markdown table printed and written by the harness. */
export function markdownTable(rows: MethodRow[], headline: string, scale = 100): string {
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
  const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
  const lines = [
    `| method | ${headline} (mean ± std) | seeds | final train loss | train s | images/s | time / SAM | speed-up over SAM | passes / SAM's | sampler overhead |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${(scale * r.headlineMean).toFixed(2)} ± ${(scale * r.headlineStd).toFixed(2)} | ${r.seeds} | ${r.finalTrainLoss.toPrecision(4)} | ` +
        `${r.trainSeconds.toFixed(1)} | ${r.samplesPerSecond.toFixed(0)} | ${ratio(r.timeRatioToSam)} | ` +
        `${pct(r.speedupOverSam - 1)} | ${pct(r.fractionOfSamWork)} | ${pct(r.samplerOverhead)} |`,
    ),
  ];
  return lines.join('\n');
}
