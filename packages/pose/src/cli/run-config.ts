import { parseConfig, trainingSectionSchema } from '@ausam/core';
import { z } from 'zod';
import type { PoseModelConfig } from '../models/build-model';
import type { HRNetConfig } from '../models/hrnet';
import { DEFAULT_SIMCC_SPLIT_RATIO } from '../models/pose-model';
import { hrnetSmall, hrnetW } from '../models/hrnet';
import type { SimpleBaselineConfig } from '../models/simple-baseline';
import { simpleBaselineResNet50, simpleBaselineSmall } from '../models/simple-baseline';
import type { AugmentationOptions } from '../transforms/augmentation';
import { COCO_AUGMENTATION, MPII_AUGMENTATION } from '../transforms/augmentation';

/** Architectures by name; `model.overrides` replaces fields of the preset (e.g. `stages`). */
export const MODEL_PRESETS = ['hrnet-w32', 'hrnet-w48', 'hrnet-small', 'simplebaseline-resnet50', 'simplebaseline-small'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

const positiveInteger = z.number().int().positive();

const augmentationSchema = z
  .object({
    scaleFactor: z.number().min(0).lt(1),
    rotationFactorDegrees: z.number().min(0),
    rotationProbability: z.number().min(0).max(1),
    flip: z.boolean(),
    halfBodyProbability: z.number().min(0).max(1),
    halfBodyMinJoints: z.number().int().min(0),
  })
  .strict();

/**
 * A pose experiment, completely (the HRNet/mmpose habit: a config names a run): core's training
 * section (name, method, learningRate, epochs, batchSize, seed, …) plus the dataset, input size, model
 * and augmentation. Dataset paths are inside `dataset.root`, which `--data` can replace; relative paths
 * are relative to the working directory.
 */
export const poseRunSchema = z
  .object({
    ...trainingSectionSchema,
    dataset: z
      .object({
        kind: z.enum(['mpii', 'coco']),
        root: z.string().min(1),
        trainAnnotations: z.string().min(1),
        validAnnotations: z.string().min(1),
        trainImages: z.string().min(1),
        validImages: z.string().min(1),
        /** PoseDataset cache mode (default 'crops'). */
        cache: z.enum(['crops', 'none']).optional(),
      })
      .strict(),
    inputSize: z.object({ width: positiveInteger, height: positiveInteger }).strict(),
    model: z
      .object({
        preset: z.enum(MODEL_PRESETS),
        /** 'heatmap' (default) or 'simcc' (Li et al. 2022) on the preset's network. */
        head: z.enum(['heatmap', 'simcc']).optional(),
        /** SimCC only: bins per input pixel k (default 2). */
        splitRatio: z.number().positive().optional(),
        /** SimCC only: softmax temperature β of the KL loss (default 1). */
        beta: z.number().positive().optional(),
        overrides: z.record(z.unknown()).optional(),
      })
      .strict()
      .refine((model) => model.head === 'simcc' || (model.splitRatio === undefined && model.beta === undefined), {
        message: "splitRatio and beta are SimCC settings: set head to 'simcc' or remove them",
      }),
    /** Target σ: heatmap pixels for the heatmap head (default 2·H/64), bins for SimCC (default 6). */
    sigma: z.number().positive().optional(),
    /** HRNet's MPII or COCO settings by name, 'none', or explicit options (default: the dataset's). */
    augmentation: z.union([z.enum(['mpii', 'coco', 'none']), augmentationSchema]).optional(),
    /** Flip test at evaluation (default true). */
    flipTest: z.boolean().optional(),
    /** Backend to force; default: core's choice (tensorflow, then wasm, then cpu). */
    backend: z.enum(['tensorflow', 'wasm', 'cpu']).optional(),
    /** Train / evaluate on the first N people only (quick runs). */
    limitTrain: positiveInteger.optional(),
    limitValid: positiveInteger.optional(),
    /** Free text: where the settings come from (not read by the runner). */
    comment: z.string().optional(),
  })
  .strict();

export type PoseRunConfig = z.infer<typeof poseRunSchema>;
export type DatasetSpec = PoseRunConfig['dataset'];

/** Validates a parsed config file; throws core's `ConfigError` listing every wrong field. */
export function parseRunConfig(value: unknown, source: string): PoseRunConfig {
  return parseConfig(poseRunSchema, value, source);
}

/** The model config a run's preset (+ overrides) resolves to. */
export function resolveModelConfig(config: PoseRunConfig, numJoints: number): PoseModelConfig {
  const { inputSize } = config;
  const presets: Record<ModelPreset, () => HRNetConfig | SimpleBaselineConfig> = {
    'hrnet-w32': () => hrnetW(32, numJoints, inputSize),
    'hrnet-w48': () => hrnetW(48, numJoints, inputSize),
    'hrnet-small': () => hrnetSmall(numJoints, inputSize),
    'simplebaseline-resnet50': () => simpleBaselineResNet50(numJoints, inputSize),
    'simplebaseline-small': () => simpleBaselineSmall(numJoints, inputSize),
  };
  const { head, splitRatio } = config.model;
  const headOptions = head === 'simcc' ? { head, splitRatio: splitRatio ?? DEFAULT_SIMCC_SPLIT_RATIO } : {};
  return { ...presets[config.model.preset](), ...headOptions, ...(config.model.overrides ?? {}) } as PoseModelConfig;
}

/** The augmentation a run's config names (the dataset's HRNet settings by default). */
export function resolveAugmentation(config: PoseRunConfig): AugmentationOptions | undefined {
  const augmentation = config.augmentation ?? config.dataset.kind;
  if (augmentation === 'none') return undefined;
  if (augmentation === 'mpii') return MPII_AUGMENTATION;
  if (augmentation === 'coco') return COCO_AUGMENTATION;
  return augmentation;
}
