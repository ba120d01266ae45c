import type { Batch, Dataset, LearningRateSchedule, MethodSpec, StepResult, Task } from '@ausam/core';

/** Everything one training run of a suite needs, built fresh per (method, seed). */
export interface SuiteRun<B extends Batch> {
  task: Task<B> & { dispose?: () => void };
  trainSet: Dataset<B>;
  evalSets: Record<string, Dataset<B>>;
  epochs: number;
  batchSize: number;
  learningRate: LearningRateSchedule;
  /** Sees every step's result (`result.ids`: the samples it trained on) with its epoch. */
  observeStep?: (epoch: number, result: StepResult) => void;
  /** Extra per-run numbers, read after training: fractions, shown in % in the extras table. */
  runMetrics?: () => Record<string, number>;
}

/** A benchmark suite: the same model, data, seed and epochs for every method. */
export interface BenchSuite<B extends Batch = Batch> {
  readonly name: string;
  /** One line on what is trained, on which data, for how long (`epochs` overrides the scale's). */
  describe(quick: boolean, epochs?: number): string;
  /** Methods compared, in run order (`epochs` overrides the scale's, for settings derived from the run's length). */
  methods(quick: boolean, epochs?: number): MethodSpec[];
  seeds(quick: boolean): number[];
  /** Name of the eval split and metric the table reports, e.g. ['test', 'accuracy']. */
  readonly headline: [split: string, metric: string];
  /** Multiplier that turns the metric into the percent shown in tables (default 100: a fraction). */
  readonly headlineScale?: number;
  /** Loads data once (shared by all runs of the suite). */
  prepare(quick: boolean): Promise<void>;
  /** Also report the best headline over the epochs (an extra, beside the final one). */
  readonly reportBest?: boolean;
  /** A suite that takes `--noise <rate>`: the same suite at that label-noise rate. */
  withNoise?(rate: number): BenchSuite<B>;
  /** `epochs` overrides the scale's (the learning-rate schedule spans it). */
  createRun(seed: number, quick: boolean, epochs?: number): Promise<SuiteRun<B>>;
}
