import { AusamSampler, buildMethod, train, type Batch, type EpochRecord, type MethodSpec } from '@ausam/core';
import { observingSampler } from './observing-sampler';
import type { BenchSuite } from './suite';

/** One (method, seed) training run, as measured. */
export interface MethodRun {
  label: string;
  spec: MethodSpec;
  seed: number;
  headline: number;
  finalTrainLoss: number;
  final: Record<string, Record<string, number>>;
  trainSeconds: number;
  wallSeconds: number;
  samplesPerSecond: number;
  fractionOfSamWork: number;
  samplerSeconds: number;
  /** [split/metric, trainSeconds so far] per epoch, for the metric-vs-time plot. */
  curve: { epoch: number; seconds: number; value: number }[];
  /**
   * AUSAM only, per epoch after the warm-up: p·b of every batch position drawn from (1 = uniform)
   * and the ceiling f_max(e), for the histogram and schedule plots.
   */
  probabilityRatios?: { epoch: number; fMaxCeiling: number; values: Float32Array }[];
  /** The suite's extra numbers (fractions), e.g. the best test accuracy or the noisy share of chosen samples. */
  extras?: Record<string, number>;
}

/** A label that tells two specs of the same method apart (e.g. two ratios). */
export function methodLabel(spec: MethodSpec): string {
  switch (spec.method) {
    case 'ausam':
    case 'uniform':
      return `${spec.method}@${spec.ratio ?? 0.5}`;
    case 'esam':
    case 'ss-sam':
      return spec.ratio === undefined ? spec.method : `${spec.method}@${spec.ratio}`;
    case 'looksam':
      return spec.looksam?.interval === undefined ? spec.method : `${spec.method}/${spec.looksam.interval}`;
    case 'infobatch': {
      const r = spec.infobatch?.pruneProbability;
      return r === undefined ? spec.method : `${spec.method}@${Number(r.toFixed(3))}`;
    }
    default:
      return spec.method;
  }
}

/**
 * Runs every method of the suite for every seed, back to back in this process (same backend, same
 * data, same seed per method), seed-major so slow drift of the machine hits all methods alike.
 */
export async function runMethods<B extends Batch>(
  suite: BenchSuite<B>,
  options: { quick: boolean; epochs?: number; methods?: MethodSpec[]; seeds?: number[]; log: (line: string) => void; onRun?: (runs: MethodRun[]) => void },
): Promise<MethodRun[]> {
  await suite.prepare(options.quick);
  const methods = options.methods ?? suite.methods(options.quick, options.epochs);
  const runs: MethodRun[] = [];
  const [split, metric] = suite.headline;
  for (const seed of options.seeds ?? suite.seeds(options.quick)) {
    for (const spec of methods) {
      const label = methodLabel(spec);
      const run = await suite.createRun(seed, options.quick, options.epochs);
      const { optimizer, sampler, resolved } = buildMethod(spec, run.trainSet.size, seed);
      const curve: MethodRun['curve'] = [];
      const probabilityRatios: NonNullable<MethodRun['probabilityRatios']> = [];
      let elapsed = 0;
      options.log(`[bench] ${suite.name}: ${label}, seed ${seed}`);
      const summary = await train({
        task: run.task,
        trainSet: run.trainSet,
        evalSets: run.evalSets,
        optimizer,
        sampler: run.observeStep ? observingSampler(sampler, run.observeStep) : sampler,
        learningRate: run.learningRate,
        epochs: run.epochs,
        batchSize: run.batchSize,
        seed,
        progress: false,
        log: (line) => options.log(`  ${line}`),
        onEpochEnd: (record: EpochRecord) => {
          elapsed += record.trainSeconds;
          const value = record.eval?.[split]?.[metric];
          if (value !== undefined) curve.push({ epoch: record.epoch + 1, seconds: elapsed, value });
          if (sampler instanceof AusamSampler && !sampler.inWarmup()) {
            probabilityRatios.push({ epoch: record.epoch + 1, fMaxCeiling: sampler.currentCeiling(), values: sampler.epochProbabilityRatios() });
          }
        },
      });
      optimizer.dispose();
      run.task.dispose?.();
      const extras: Record<string, number> = { ...run.runMetrics?.() };
      if (suite.reportBest && curve.length) extras[`best ${split} ${metric}`] = Math.max(...curve.map((c) => c.value));
      runs.push({
        label,
        spec: resolved,
        seed,
        headline: summary.final[split]?.[metric] ?? Number.NaN,
        finalTrainLoss: summary.finalTrainLoss,
        final: summary.final,
        trainSeconds: summary.trainSeconds,
        wallSeconds: summary.wallSeconds,
        samplesPerSecond: summary.samplesPerSecond,
        fractionOfSamWork: summary.fractionOfSamWork,
        samplerSeconds: summary.history.reduce((s, r) => s + r.samplerSeconds, 0),
        curve,
        probabilityRatios: probabilityRatios.length ? probabilityRatios : undefined,
        extras: Object.keys(extras).length ? extras : undefined,
      });
      options.onRun?.(runs);
    }
  }
  return runs;
}
