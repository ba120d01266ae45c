import * as fs from 'fs';
import { z } from 'zod';
import { METHOD_NAMES } from '../methods/build-method';
import { describeJsonValue, isJsonObject, valueAt, type FlagPaths } from './config-shape';

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
   * its slice of every batch; BatchNorm uses the whole batch's statistics (docs/backends.md).
   */
  replicas: z.number().int().positive().optional(),
  /** Default: runs/<name>. */
  outputDir: z.string().optional(),
};

/**
 * Validates `value` against `schema`, throwing a {@link ConfigError} that lists every problem by field
 * path. A value that is not a JSON object (an array, a string, null) is one problem: "expected a JSON
 * object". `flags` says which paths were set by command-line flags: their problems name the flag
 * (`--lr: Number must be greater than 0, found -1 (learningRate.lr)`), and when all problems come
 * from flags the error's source is the command line, not the file.
 */
export function parseConfig<T>(schema: z.ZodType<T>, value: unknown, source: string, flags: FlagPaths = {}): T {
  if (!isJsonObject(value)) throw new ConfigError(source, [`expected a JSON object, found ${describeJsonValue(value)}`]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  let fromFlags = 0;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const flag = flags[key];
    if (flag === undefined) return `${key || '(root)'}: ${issue.message}`;
    fromFlags++;
    return `${flag}: ${issue.message}, found ${JSON.stringify(valueAt(value, key))} (${key})`;
  });
  const blamed = fromFlags === 0 ? source : fromFlags === problems.length ? 'command line' : `${source} and command line`;
  throw new ConfigError(blamed, problems);
}

/** Reads a JSON config file, with errors naming the file; anything but a JSON object is refused. */
export function readJsonFile(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) throw new ConfigError(file, ['no such file']);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as { message?: string }).message ?? String(error)}`]);
  }
  if (!isJsonObject(value)) throw new ConfigError(file, [`expected a JSON object, found ${describeJsonValue(value)}`]);
  return value;
}
