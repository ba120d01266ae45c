import * as fs from 'fs';
import { z } from 'zod';
import { METHOD_NAMES } from '../methods/build-method';

/** A run config could not be used: names the file (or flag) and each field that is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const positive = z.number().positive();
const fraction = z.number().gt(0).lte(1);

export const baseOptimizerSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sgd'),
      momentum: z.number().min(0).lt(1).optional(),
      dampening: z.number().min(0).lte(1).optional(),
      nesterov: z.boolean().optional(),
      weightDecay: z.number().min(0).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('adamw'),
      beta1: z.number().min(0).lt(1).optional(),
      beta2: z.number().min(0).lt(1).optional(),
      epsilon: positive.optional(),
      weightDecay: z.number().min(0).optional(),
    })
    .strict(),
]);

/** `MethodSpec` as a schema (see buildMethod). */
export const methodSchema = z
  .object({
    method: z.enum(METHOD_NAMES),
    rho: positive.optional(),
    ratio: fraction.optional(),
    base: baseOptimizerSchema.optional(),
    warmupEpochs: z.number().int().min(0).optional(),
    ausam: z
      .object({
        fMin: z.number().min(0).optional(),
        fMax: positive.optional(),
        startEpoch: z.number().int().min(0).optional(),
        transitionEpochs: z.number().min(0).optional(),
      })
      .strict()
      .refine((a) => a.fMin === undefined || a.fMax === undefined || a.fMin <= a.fMax, { message: 'fMin must be ≤ fMax' })
      .optional(),
    infobatch: z.object({ pruneProbability: z.number().min(0).lt(1).optional(), annealFraction: fraction.optional() }).strict().optional(),
    looksam: z.object({ interval: z.number().int().positive().optional(), alpha: z.number().min(0).optional() }).strict().optional(),
    aeSam: z.object({ threshold: z.number().optional(), decay: z.number().gt(0).lt(1).optional() }).strict().optional(),
    esam: z.object({ weightPerturbationProbability: fraction.optional() }).strict().optional(),
  })
  .strict();

/** `ScheduleSpec` as a schema. */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), lr: positive }).strict(),
  z
    .object({ kind: z.literal('step'), lr: positive, stepSizeEpochs: positive, gamma: positive.optional(), warmupEpochs: z.number().min(0).optional() })
    .strict(),
  z
    .object({
      kind: z.literal('multistep'),
      lr: positive,
      milestones: z.array(z.number().min(0)),
      gamma: positive.optional(),
      warmupEpochs: z.number().min(0).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('cosine'), lr: positive, minimum: z.number().min(0).optional(), warmupEpochs: z.number().min(0).optional() }).strict(),
]);

/** The task-independent part of every run config: method, schedule, loop, output. */
export const trainingSectionSchema = {
  name: z.string().min(1),
  /** Free text: where the settings come from, what a CPU-scale config changes and why. */
  description: z.string().optional(),
  method: methodSchema,
  learningRate: scheduleSchema,
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  evalBatchSize: z.number().int().positive().optional(),
  seed: z.number().int().min(0),
  evaluateEvery: z.number().int().positive().optional(),
  checkpointEvery: z.number().int().positive().optional(),
  /**
   * Data-parallel replicas, the main thread included (default 1: none). Each runs one wasm thread on
   * its slice of every batch; BatchNorm statistics are per slice (docs/backends.md).
   */
  replicas: z.number().int().positive().optional(),
  /** Default: runs/<name>. */
  outputDir: z.string().optional(),
};

/** Validates `value` against `schema`, throwing a {@link ConfigError} that lists every problem by field path. */
export function parseConfig<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`),
  );
}

/** Reads a JSON config file, with errors naming the file. */
export function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new ConfigError(file, ['no such file']);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
