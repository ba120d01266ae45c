import type { BackendName, MethodSpec, ScheduleSpec } from '@ausam/core';
import { METHOD_NAMES } from '@ausam/core';
import { describe, expectObject } from '../data/read-json';
import type { HRNetConfig } from '../models/hrnet';
import { hrnetSmall, hrnetW } from '../models/hrnet';
import type { PoseModelConfig } from '../models/build-model';
import type { SimpleBaselineConfig } from '../models/simple-baseline';
import { simpleBaselineResNet50, simpleBaselineSmall } from '../models/simple-baseline';
import type { Size } from '../transforms/affine';
import type { AugmentationOptions } from '../transforms/augmentation';
import { COCO_AUGMENTATION, MPII_AUGMENTATION } from '../transforms/augmentation';

/** A config file that does not describe a run; the message names the file and the field. */
export class RunConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'RunConfigError';
  }
}

/** Where a dataset lives: paths inside `root` (which `--data` can replace). */
export interface DatasetSpec {
  readonly kind: 'mpii' | 'coco';
  readonly root: string;
  readonly trainAnnotations: string;
  readonly validAnnotations: string;
  readonly trainImages: string;
  readonly validImages: string;
  /** PoseDataset cache mode (default 'crops'). */
  readonly cache?: 'crops' | 'none';
}

/** Architectures by name; `overrides` replaces fields of the preset (e.g. `stages`). */
export const MODEL_PRESETS = ['hrnet-w32', 'hrnet-w48', 'hrnet-small', 'simplebaseline-resnet50', 'simplebaseline-small'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

/** One experiment, completely (HRNet/mmpose habit: a config names a run). */
export interface PoseRunConfig {
  readonly name: string;
  readonly dataset: DatasetSpec;
  readonly inputSize: Size;
  readonly model: { readonly preset: ModelPreset; readonly overrides?: Record<string, unknown> };
  /** Heatmap σ in heatmap pixels (default 2·H/64). */
  readonly sigma?: number;
  /** 'mpii' | 'coco' (HRNet's settings), 'none', or explicit options. */
  readonly augmentation: 'mpii' | 'coco' | 'none' | AugmentationOptions;
  readonly flipTest: boolean;
  readonly method: MethodSpec;
  readonly learningRate: ScheduleSpec;
  readonly epochs: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly evaluateEvery: number;
  readonly seed: number;
  /** Backend to force; default: core's choice (tensorflow, then wasm, then cpu). */
  readonly backend?: BackendName;
  /** Train / evaluate on the first N samples only (smoke runs). */
  readonly limitTrain?: number;
  readonly limitValid?: number;
  /** Run folder (default `runs/<name>`). */
  readonly outputDir?: string;
}

/** Validates a parsed config file (required fields, enums, numbers) and fills defaults. */
export function parseRunConfig(raw: unknown, file: string): PoseRunConfig {
  const config = expectObject(raw, file, 'top level');
  const fail = (detail: string): never => {
    throw new RunConfigError(file, detail);
  };
  const text = (value: unknown, where: string): string => (typeof value === 'string' && value !== '' ? value : fail(`${where}: expected a non-empty string, found ${describe(value)}`));
  const positiveInteger = (value: unknown, where: string): number =>
    Number.isInteger(value) && (value as number) > 0 ? (value as number) : fail(`${where}: expected a positive integer, found ${describe(value)}`);
  const optional = <T>(value: unknown, read: (v: unknown) => T): T | undefined => (value === undefined ? undefined : read(value));

  const dataset = expectObject(config.dataset, file, 'dataset');
  const kind = dataset.kind === 'mpii' || dataset.kind === 'coco' ? dataset.kind : fail(`dataset.kind: expected 'mpii' or 'coco', found ${describe(dataset.kind)}`);
  const cache = optional(dataset.cache, (v) => (v === 'crops' || v === 'none' ? v : fail(`dataset.cache: expected 'crops' or 'none', found ${describe(v)}`)));
  const input = expectObject(config.inputSize, file, 'inputSize');
  const model = expectObject(config.model, file, 'model');
  const preset = MODEL_PRESETS.includes(model.preset as ModelPreset)
    ? (model.preset as ModelPreset)
    : fail(`model.preset: expected one of ${MODEL_PRESETS.join(', ')}, found ${describe(model.preset)}`);
  const method = expectObject(config.method, file, 'method');
  if (!METHOD_NAMES.includes(method.method as never)) fail(`method.method: expected one of ${METHOD_NAMES.join(', ')}, found ${describe(method.method)}`);
  const learningRate = expectObject(config.learningRate, file, 'learningRate');
  if (typeof learningRate.lr !== 'number' || !(learningRate.lr > 0)) fail(`learningRate.lr: expected a positive number, found ${describe(learningRate.lr)}`);
  const augmentation = config.augmentation ?? kind;
  if (typeof augmentation === 'string' && !['mpii', 'coco', 'none'].includes(augmentation)) {
    fail(`augmentation: expected 'mpii', 'coco', 'none' or an object, found ${describe(augmentation)}`);
  }
  const backend = optional(config.backend, (v) =>
    v === 'tensorflow' || v === 'wasm' || v === 'cpu' ? v : fail(`backend: expected tensorflow, wasm or cpu, found ${describe(v)}`),
  );
  const sigma = optional(config.sigma, (v) => (typeof v === 'number' && v > 0 ? v : fail(`sigma: expected a positive number, found ${describe(v)}`)));
  const epochs = positiveInteger(config.epochs, 'epochs');
  return {
    name: text(config.name, 'name'),
    dataset: {
      kind,
      root: text(dataset.root, 'dataset.root'),
      trainAnnotations: text(dataset.trainAnnotations, 'dataset.trainAnnotations'),
      validAnnotations: text(dataset.validAnnotations, 'dataset.validAnnotations'),
      trainImages: text(dataset.trainImages, 'dataset.trainImages'),
      validImages: text(dataset.validImages, 'dataset.validImages'),
      cache,
    },
    inputSize: { width: positiveInteger(input.width, 'inputSize.width'), height: positiveInteger(input.height, 'inputSize.height') },
    model: { preset, overrides: optional(model.overrides, (v) => expectObject(v, file, 'model.overrides')) },
    sigma,
    augmentation: augmentation as PoseRunConfig['augmentation'],
    flipTest: config.flipTest === undefined ? true : config.flipTest === true,
    method: method as unknown as MethodSpec,
    learningRate: learningRate as unknown as ScheduleSpec,
    epochs,
    batchSize: positiveInteger(config.batchSize, 'batchSize'),
    evalBatchSize: optional(config.evalBatchSize, (v) => positiveInteger(v, 'evalBatchSize')) ?? 64,
    evaluateEvery: optional(config.evaluateEvery, (v) => positiveInteger(v, 'evaluateEvery')) ?? 1,
    seed: Number.isInteger(config.seed) ? (config.seed as number) : fail(`seed: expected an integer, found ${describe(config.seed)}`),
    backend,
    limitTrain: optional(config.limitTrain, (v) => positiveInteger(v, 'limitTrain')),
    limitValid: optional(config.limitValid, (v) => positiveInteger(v, 'limitValid')),
    outputDir: optional(config.outputDir, (v) => text(v, 'outputDir')),
  };
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
  return { ...presets[config.model.preset](), ...(config.model.overrides ?? {}) } as PoseModelConfig;
}

/** The augmentation a run's config names. */
export function resolveAugmentation(config: PoseRunConfig): AugmentationOptions | undefined {
  const { augmentation } = config;
  if (augmentation === 'none') return undefined;
  if (augmentation === 'mpii') return MPII_AUGMENTATION;
  if (augmentation === 'coco') return COCO_AUGMENTATION;
  return augmentation;
}
