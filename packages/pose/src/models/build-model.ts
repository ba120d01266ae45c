import type { Rng } from '@ausam/core';
import { HRNet } from './hrnet';
import type { HRNetConfig } from './hrnet';
import type { PoseModel } from './pose-model';
import { SimpleBaseline } from './simple-baseline';
import type { SimpleBaselineConfig } from './simple-baseline';

/** Any pose architecture this package builds. */
export type PoseModelConfig = HRNetConfig | SimpleBaselineConfig;

/** Builds the model a config describes, with variables initialised from `rng`. */
export function buildPoseModel(config: PoseModelConfig, rng: Rng): PoseModel {
  switch (config.kind) {
    case 'hrnet':
      return new HRNet(config, rng);
    case 'simpleBaseline':
      return new SimpleBaseline(config, rng);
  }
}
