/**
 * Which side a measurement is from: core on tfjs-wasm (one process, `parallelism` wasm threads),
 * core with `parallelism` data-parallel replicas of one wasm thread each, or PyTorch on the same CPU.
 */
export type Implementation = 'ours' | 'ours-replicas' | 'pytorch';

/** Images/s of one variant in one round, on `parallelism` threads. */
export interface ThroughputMeasurement {
  impl: Implementation;
  model: string;
  method: string;
  parallelism: number;
  round: number;
  imagesPerSec: number;
  wallMsPerStep: number;
  cpuMsPerStep: number;
}

export interface VariantSummary {
  impl: Implementation;
  model: string;
  method: string;
  parallelism: number;
  /** Median images/s over the rounds, and the range. */
  median: number;
  min: number;
  max: number;
  rounds: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const key = (m: { impl: string; model: string; method: string; parallelism: number }) => `${m.impl}|${m.model}|${m.method}|${m.parallelism}`;

/** Median and range of images/s per (implementation, model, method, parallelism), in first-seen order. */
export function summarizeThroughput(measurements: readonly ThroughputMeasurement[]): VariantSummary[] {
  const groups = new Map<string, ThroughputMeasurement[]>();
  for (const m of measurements) groups.set(key(m), [...(groups.get(key(m)) ?? []), m]);
  return [...groups.values()].map((group) => {
    const values = group.map((m) => m.imagesPerSec);
    const { impl, model, method, parallelism } = group[0];
    return { impl, model, method, parallelism, median: median(values), min: Math.min(...values), max: Math.max(...values), rounds: values.length };
  });
}

const label = (impl: Implementation, n: number) =>
  impl === 'ours-replicas' ? `ours, ${n} replicas` : `${impl === 'ours' ? 'ours' : 'PyTorch'}, ${n} thread${n > 1 ? 's' : ''}`;

function cell(summary: VariantSummary | undefined): string {
  if (!summary) return '–';
  const range = summary.rounds > 1 ? ` (${summary.min.toFixed(0)}–${summary.max.toFixed(0)})` : '';
  return `${summary.median.toFixed(0)}${range}`;
}

/**
 * Markdown table: one row per (model, method); images/s (median, range over rounds) of every
 * thread count of ours and of PyTorch; then ours ÷ PyTorch at every thread count both sides were
 * measured with, and ours at its most threads ÷ PyTorch at its most threads (when that differs).
 */
export function throughputTable(summaries: readonly VariantSummary[]): string {
  const find = (impl: Implementation, model: string, method: string, n: number) => summaries.find((s) => key(s) === key({ impl, model, method, parallelism: n }));
  const counts = (impl: Implementation) => [...new Set(summaries.filter((s) => s.impl === impl).map((s) => s.parallelism))].sort((a, b) => a - b);
  const ours = counts('ours');
  const replicas = counts('ours-replicas');
  const torch = counts('pytorch');
  const shared = ours.filter((n) => torch.includes(n));
  const sharedReplicas = replicas.filter((n) => torch.includes(n));
  const mostOurs = ours[ours.length - 1];
  const mostTorch = torch[torch.length - 1];
  const best = ours.length && torch.length && (mostOurs !== mostTorch || !shared.length) ? [[mostOurs, mostTorch]] : [];
  const rows = [...new Map(summaries.map((s) => [`${s.model}|${s.method}`, s])).values()];
  const header = [
    'model',
    'method',
    ...ours.map((n) => `${label('ours', n)} img/s`),
    ...replicas.map((n) => `${label('ours-replicas', n)} img/s`),
    ...torch.map((n) => `${label('pytorch', n)} img/s`),
    ...shared.map((n) => `ours ÷ PyTorch, ${n} thread${n > 1 ? 's' : ''}`),
    ...sharedReplicas.map((n) => `ours ${n} replicas ÷ PyTorch ${n} threads`),
    ...best.map(([o, t]) => `ours ×${o} ÷ PyTorch ×${t}`),
  ];
  const ratio = (a?: VariantSummary, b?: VariantSummary) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : '–');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const { model, method } of rows) {
    lines.push(
      `| ${[
        model,
        method,
        ...ours.map((n) => cell(find('ours', model, method, n))),
        ...replicas.map((n) => cell(find('ours-replicas', model, method, n))),
        ...torch.map((n) => cell(find('pytorch', model, method, n))),
        ...shared.map((n) => ratio(find('ours', model, method, n), find('pytorch', model, method, n))),
        ...sharedReplicas.map((n) => ratio(find('ours-replicas', model, method, n), find('pytorch', model, method, n))),
        ...best.map(([o, t]) => ratio(find('ours', model, method, o), find('pytorch', model, method, t))),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
