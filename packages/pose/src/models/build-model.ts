import { ParameterRegistry } from '@ausam/core';
import type { Rng } from '@ausam/core';
import { HRNet } from './hrnet';
import type { HRNetConfig } from './hrnet';
import { DEFAULT_SIMCC_SPLIT_RATIO } from './pose-model';
import type { PoseHeadOptions, PoseModel } from './pose-model';
import { SimccModel } from './simcc-model';
import type { SimccPoseModel } from './simcc-model';
import { SimpleBaseline } from './simple-baseline';
import type { SimpleBaselineConfig } from './simple-baseline';

/** Any pose architecture this package builds: a network and the head on it (heatmap unless `head: 'simcc'`). */
export type PoseModelConfig = (HRNetConfig | SimpleBaselineConfig) & PoseHeadOptions;

/** A model of either head. */
export type AnyPoseModel = PoseModel | SimccPoseModel;

/**
 * Builds the model a config describes, with variables initialised from `rng` (or created through
 * `registry`): the heatmap network, plus SimCC's classifiers when `config.head` is `'simcc'`.
 */
export function buildPoseModel(config: PoseModelConfig & { readonly head: 'simcc' }, rng: Rng, registry?: ParameterRegistry): SimccPoseModel;
export function buildPoseModel(config: PoseModelConfig & { readonly head?: 'heatmap' }, rng: Rng, registry?: ParameterRegistry): PoseModel;
export function buildPoseModel(config: PoseModelConfig, rng: Rng, registry?: ParameterRegistry): AnyPoseModel;
export function buildPoseModel(config: PoseModelConfig, rng: Rng, registry: ParameterRegistry = new ParameterRegistry(rng)): AnyPoseModel {
  const heatmapModel = config.kind === 'hrnet' ? new HRNet(config, rng, registry) : new SimpleBaseline(config, rng, registry);
  if (config.head === 'simcc') return new SimccModel(heatmapModel, registry, config.splitRatio ?? DEFAULT_SIMCC_SPLIT_RATIO);
  if (config.head !== undefined && config.head !== 'heatmap') {
    throw new RangeError(`buildPoseModel: head must be 'heatmap' or 'simcc', found '${String(config.head)}'`);
  }
  if ('splitRatio' in config) throw new RangeError(`buildPoseModel: splitRatio is a SimCC setting; the heatmap head has none`);
  return heatmapModel;
}
