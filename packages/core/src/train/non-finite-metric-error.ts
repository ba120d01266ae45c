/**
 * An evaluation produced a NaN or infinite loss (or an infinite metric): the weights have diverged,
 * so the run stops instead of reporting it as a result.
 */
export class NonFiniteMetricError extends Error {
  constructor(
    readonly split: string,
    readonly metric: string,
    readonly value: number,
    /** The epoch whose weights were evaluated (0-based; the message counts from 1, as the epoch lines do), or undefined outside training. */
    readonly epoch: number | undefined,
    readonly learningRate: number | undefined,
  ) {
    const when = epoch === undefined ? '' : ` after epoch ${epoch + 1}${learningRate === undefined ? '' : ` (learning rate ${learningRate})`}`;
    super(
      `non-finite evaluation metric ${split}.${metric} = ${value}${when}: the weights diverged; ` +
        'lower the learning rate or rho, or check the inputs of that split',
    );
    this.name = 'NonFiniteMetricError';
  }
}

/**
 * The first metric of `metrics` that says training diverged: a loss (any metric whose name contains
 * "loss") that is not finite, or any metric that is ±∞. Other NaNs are left alone: tasks use NaN for a
 * metric undefined on a split (e.g. PCKh of a joint no sample of the split annotates).
 */
export function divergedMetric(metrics: Record<string, number>): [string, number] | undefined {
  for (const [name, value] of Object.entries(metrics)) {
    if (value === Infinity || value === -Infinity) return [name, value];
    if (/loss/i.test(name) && !Number.isFinite(value)) return [name, value];
  }
  return undefined;
}
