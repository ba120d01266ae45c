import { parseConfig, trainingSectionSchema, type FlagPaths } from '@ausam/core';
import { z } from 'zod';

export const DATASET_KINDS = ['fashion-mnist', 'mnist', 'cifar10', 'cifar100', 'tiny-imagenet'] as const;

/** A classification experiment, completely: what `ausam-classify train --config` reads. */
export const classificationRunSchema = z
  .object({
    ...trainingSectionSchema,
    dataset: z
      .object({
        kind: z.enum(DATASET_KINDS),
        /** Folder of the files in their original format. */
        path: z.string().min(1),
        /** Train on the first n training samples only (quick runs). */
        trainLimit: z.number().int().positive().optional(),
        testLimit: z.number().int().positive().optional(),
        /**
         * 'default': the dataset's usual train augmentation (crop/flip/Cutout); 'none': plain images;
         * or the augmentation itself, e.g. ajiaaa/AUSAM's `{ randomCrop: { padding: 4 }, horizontalFlip: true,
         * cutout: { size: 16, probability: 0.5 } }`.
         */
        augmentation: z
          .union([
            z.enum(['default', 'none']),
            z
              .object({
                randomCrop: z.object({ padding: z.number().int().min(0) }).strict().optional(),
                horizontalFlip: z.boolean().optional(),
                cutout: z.object({ size: z.number().int().positive(), probability: z.number().min(0).max(1).optional() }).strict().optional(),
              })
              .strict(),
          ])
          .optional(),
        /** CIFAR-100 only. */
        label: z.enum(['fine', 'coarse']).optional(),
      })
      .strict(),
    model: z
      .object({
        name: z.string().min(1),
        labelSmoothing: z.number().min(0).lt(1).optional(),
      })
      .strict(),
  })
  .strict();

export type ClassificationRunConfig = z.infer<typeof classificationRunSchema>;

/** Validates a run config; `flags` (config path → flag) makes problems in flag-given values name the flag. */
export function parseClassificationRun(value: unknown, source: string, flags?: FlagPaths): ClassificationRunConfig {
  return parseConfig(classificationRunSchema, value, source, flags);
}
