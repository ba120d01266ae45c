import type { StepParityRow } from './step-parity';

const SHOWN_STEPS = [1, 2, 5, 10, 20, 30, 40, 50];

/** Markdown tables: per-step losses (selected steps) and the worst differences of each row. */
export function formatStepTable(
  reference: { model: string; steps: number; batch: number; torch: string; sgd: { losses: number[] }; sam: { losses: number[] } },
  rows: readonly StepParityRow[],
): string {
  const steps = SHOWN_STEPS.filter((s) => s <= reference.steps);
  const lines = [
    `Step parity: ${reference.model}, ${reference.steps} steps of batch ${reference.batch}, torch ${reference.torch}`,
    '',
    `| method | run | ${steps.map((s) => `step ${s}`).join(' | ')} |`,
    `|---|---|${steps.map(() => '---').join('|')}|`,
  ];
  for (const method of ['sgd', 'sam'] as const) {
    lines.push(`| ${method} | PyTorch | ${steps.map((s) => reference[method].losses[s - 1].toFixed(5)).join(' | ')} |`);
    for (const row of rows.filter((r) => r.method === method)) {
      lines.push(`| ${method} | ours, ${row.backend} | ${steps.map((s) => row.losses[s - 1].toFixed(5)).join(' | ')} |`);
    }
  }
  lines.push(
    '',
    '| method | backend | max rel. loss diff | torch ±1 ulp: loss | max rel. final-state diff (tensor) | torch ±1 ulp: state | our time |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    lines.push(
      `| ${r.method} | ${r.backend} | ${r.maxLossRelative.toExponential(1)} | ${r.jitterLossRelative.toExponential(1)} | ` +
        `${r.maxWeightRelative.toExponential(1)} (${r.worstTensor}) | ${r.jitterWeightRelative.toExponential(1)} | ${r.seconds.toFixed(0)} s |`,
    );
  }
  return lines.join('\n');
}
