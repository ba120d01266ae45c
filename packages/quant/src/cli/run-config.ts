import * as fs from 'fs';
import { METHOD_NAMES, type BackendName, type MethodSpec, type ScheduleSpec } from '@ausam/core';
import { resolveQuantizationConfig, type QuantizationConfig } from '../qat/quantization-config';
import { ConfigError } from './config-error';
import { DATASET_NAMES, type DatasetSpec } from './datasets';

/**
 * One QAT experiment, completely (configs/*.json): which data, which model and full-precision
 * starting point, how it is quantized, the training method and schedule.
 */
export interface QuantRunConfig {
  readonly name: string;
  /** Free text: what the run is for, where its settings come from. */
  readonly description?: string;
  readonly dataset: DatasetSpec;
  /** A `createModel` name of `@ausam/classification`, e.g. `resnet20`, `resnet-small`. */
  readonly model: string;
  /**
   * A core `checkpoint.ausam` of the same model trained in full precision (its `weights`); QAT
   * starts from it, as is standard. Absent: QAT from random initialisation.
   */
  readonly fullPrecisionCheckpoint?: string;
  readonly quantization: QuantizationConfig;
  /** Core's method spec (`sgd`, `sam`, `ausam`, …, ρ, ratio, base optimizer). */
  readonly method: MethodSpec;
  readonly learningRate: ScheduleSpec;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly evalBatchSize?: number;
  readonly labelSmoothing?: number;
  /** Default `runs/<name>`. */
  readonly outputDir?: string;
  /** Force a backend; default: core's choice (tensorflow, then wasm, then cpu). */
  readonly backend?: BackendName;
}

const KEYS: readonly (keyof QuantRunConfig)[] = [
  'name',
  'description',
  'dataset',
  'model',
  'fullPrecisionCheckpoint',
  'quantization',
  'method',
  'learningRate',
  'epochs',
  'batchSize',
  'seed',
  'evalBatchSize',
  'labelSmoothing',
  'outputDir',
  'backend',
];

/** Reads and validates a JSON run config; errors name the file and the key. */
export function readRunConfig(file: string): QuantRunConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, `cannot read the config (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, `not valid JSON (${(error as Error).message})`);
  }
  return validateRunConfig(parsed, file);
}

/** Checks the shape and values of a run config (bit widths, method names, positive integers). */
export function validateRunConfig(value: unknown, source: string): QuantRunConfig {
  const fail = (key: string, detail: string): never => {
    throw new ConfigError(source, `${key}: ${detail}`);
  };
  if (!isObject(value)) return fail('(root)', `expected an object, found ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key as keyof QuantRunConfig)) fail(key, `unknown key; expected one of ${KEYS.join(', ')}`);
  }
  const config = value as unknown as QuantRunConfig;
  if (typeof config.name !== 'string' || config.name === '') fail('name', `expected a non-empty string, found ${describe(config.name)}`);
  if (typeof config.model !== 'string' || config.model === '') fail('model', `expected a model name, found ${describe(config.model)}`);
  if (!isObject(config.dataset) || !DATASET_NAMES.includes(config.dataset.name as DatasetSpec['name'])) {
    fail('dataset.name', `expected one of ${DATASET_NAMES.join(', ')}, found ${describe(isObject(config.dataset) ? config.dataset.name : config.dataset)}`);
  }
  for (const key of ['trainLimit', 'testLimit'] as const) {
    const limit = config.dataset[key];
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) fail(`dataset.${key}`, `expected a positive integer, found ${describe(limit)}`);
  }
  if (!isObject(config.quantization)) fail('quantization', `expected an object, found ${describe(config.quantization)}`);
  try {
    resolveQuantizationConfig(config.quantization);
  } catch (error) {
    fail('quantization', (error as Error).message); // e.g. "quantization: weightBits: expected an integer in 2..8, found 1"
  }
  if (!isObject(config.method) || !METHOD_NAMES.includes(config.method.method)) {
    fail('method.method', `expected one of ${METHOD_NAMES.join(', ')}, found ${describe(isObject(config.method) ? config.method.method : config.method)}`);
  }
  if (!isObject(config.learningRate) || typeof config.learningRate.lr !== 'number') {
    fail('learningRate', `expected a schedule such as { "kind": "cosine", "lr": 0.01 }, found ${describe(config.learningRate)}`);
  }
  for (const key of ['epochs', 'batchSize'] as const) {
    if (!(Number.isInteger(config[key]) && config[key] > 0)) fail(key, `expected a positive integer, found ${describe(config[key])}`);
  }
  if (!Number.isInteger(config.seed)) fail('seed', `expected an integer, found ${describe(config.seed)}`);
  if (config.backend !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(config.backend)) {
    fail('backend', `expected tensorflow, wasm or cpu, found ${describe(config.backend)}`);
  }
  return config;
}

function isObject(value: unknown): value is Record<string, unknown> & { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
