import type { MethodRun } from './run-methods';

/** A hand-made run for the harness's tests: SGD does half of SAM's passes, others all of them. */
export function fakeRun(label: string, seed: number, headline: number, trainSeconds: number, extra: Partial<MethodRun> = {}): MethodRun {
  return {
    label,
    spec: { method: label === 'sgd' ? 'sgd' : 'sam' },
    seed,
    headline,
    finalTrainLoss: 0.5,
    final: {},
    trainSeconds,
    wallSeconds: trainSeconds,
    samplesPerSecond: 1000 / trainSeconds,
    fractionOfSamWork: label === 'sgd' ? 0.5 : 1,
    samplerSeconds: 0,
    curve: [],
    ...extra,
  };
}
