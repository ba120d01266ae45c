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
        /**
         * Per-channel mean and std ([0, 1] scale) for both splits instead of the dataset's own
         * statistics, e.g. ajiaaa/AUSAM's CIFAR-100 loader, which uses CIFAR-10-like values.
         */
        normalization: z.object({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) }).strict().optional(),
        /**
         * Symmetric label noise on the training split (after `trainLimit`): exactly round(rate·N)
         * labels replaced by a uniformly drawn other class, fixed by `seed` (`symmetricLabelNoise`).
         * The test split is never touched.
         */
        labelNoise: z
          .object({ rate: z.number().min(0).lt(1), seed: z.number().int() })
          .strict()
          .optional(),
      })
      .strict(),
    model: z
      .object({
        /** An architecture `createModel` knows, e.g. `wrn-28-10-ausam` (ajiaaa/AUSAM's WRN) or `wrn-28-10`. */
        name: z.string().min(1),
        /**
         * 'pytorch' (default), 'he-normal', 'he-normal-fan-out', or 'authors': the init of the
         * authors' model file for this architecture (`ModelOptions.init`).
         */
        init: z.enum(['pytorch', 'he-normal', 'he-normal-fan-out', 'authors']).optional(),
        /**
         * ε in the 'uniform' form ((1 − ε)·one-hot + ε/K), or `{ epsilon, form: 'authors' }`:
         * ajiaaa/AUSAM's KL form, 1 − ε on the label and ε/(K − 1) elsewhere.
         */
        labelSmoothing: z
          .union([
            z.number().min(0).lt(1),
            z.object({ epsilon: z.number().min(0).lt(1), form: z.enum(['uniform', 'authors']) }).strict(),
          ])
          .optional(),
      })
      .strict(),
  })
  .strict();

export type ClassificationRunConfig = z.infer<typeof classificationRunSchema>;

/** Validates a run config; `flags` (config path → flag) makes problems in flag-given values name the flag. */
export function parseClassificationRun(value: unknown, source: string, flags?: FlagPaths): ClassificationRunConfig {
  return parseConfig(classificationRunSchema, value, source, flags);
}
