import { parseConfig, readJsonFile, trainingSectionSchema } from '@ausam/core';
import { z } from 'zod';
import { DATASET_NAMES } from './datasets';

const positiveInt = z.number().int().positive();
const bitWidth = z.number().int().min(2).max(8);

/** The `quantization` section: a {@link QuantizationConfig} (see its TSDoc for each field). */
const quantizationSchema = z
  .object({
    weightBits: bitWidth,
    activationBits: bitWidth,
    quantizer: z.enum(['lsq', 'minmax']).optional(),
    weightGranularity: z.enum(['perChannel', 'perTensor']).optional(),
    activationSigned: z.union([z.boolean(), z.literal('auto')]).optional(),
    fullPrecisionLayers: z.array(z.string().min(1)).optional(),
    rangeMomentum: z.number().gt(0).lte(1).optional(),
  })
  .strict();

/**
 * One QAT experiment, completely (configs/*.json): which data, which model and full-precision
 * starting point, how it is quantized, the training method and schedule. The training fields
 * (name, method, learningRate, epochs, batchSize, seed, …) are core's, as in every task's config.
 */
export const quantRunSchema = z
  .object({
    ...trainingSectionSchema,
    /** Free text: what the run is for, where its settings come from. */
    description: z.string().optional(),
    dataset: z
      .object({
        name: z.enum(DATASET_NAMES),
        /** Folder of the dataset files; Fashion-MNIST defaults to classification's default folder. */
        dir: z.string().min(1).optional(),
        /** Train on the first `trainLimit` samples only (CPU-scale runs). */
        trainLimit: positiveInt.optional(),
        /** Evaluate on the first `testLimit` test samples only. */
        testLimit: positiveInt.optional(),
      })
      .strict(),
    /** A `createModel` name of `@ausam/classification`, e.g. `resnet20`, `resnet-small`. */
    model: z.string().min(1),
    /**
     * A core `checkpoint.ausam` of the same model trained in full precision (its `weights`); QAT
     * starts from it, as is standard. Absent: QAT from random initialisation.
     */
    fullPrecisionCheckpoint: z.string().min(1).optional(),
    quantization: quantizationSchema,
    labelSmoothing: z.number().min(0).lt(1).optional(),
    /** Force a backend; default: core's choice (tensorflow, then wasm, then cpu). */
    backend: z.enum(['tensorflow', 'wasm', 'cpu']).optional(),
  })
  .strict();

export type QuantRunConfig = z.infer<typeof quantRunSchema>;

/** Reads and validates a JSON run config; a core `ConfigError` lists every problem by file and key. */
export function readRunConfig(file: string): QuantRunConfig {
  return validateRunConfig(readJsonFile(file), file);
}

/** Checks the shape and values of a run config (bit widths, method, schedule, positive integers). */
export function validateRunConfig(value: unknown, source: string): QuantRunConfig {
  return parseConfig(quantRunSchema, value, source);
}
