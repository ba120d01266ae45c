import type * as tf from '@tensorflow/tfjs-core';
import { ParameterRegistry, Rng } from '@ausam/core';
import type { Initializer } from '@ausam/core';
import type { PoseModelConfig } from './build-model';
import { buildPoseModel } from './build-model';

/** A registry that fills every variable with zeros: building is then fast (no random draws). */
class ZeroRegistry extends ParameterRegistry {
  override weight(name: string, shape: number[], _init: Initializer): tf.Variable {
    return super.weight(name, shape, { kind: 'zeros' });
  }
}

/**
 * Number of trained scalars of the model `config` describes (either head), found by building it with
 * zero-filled variables and disposing it (seconds for HRNet-W32, where seeded normal initialisation
 * takes ~40 s on a CPU backend).
 */
export function countParameters(config: PoseModelConfig): number {
  const rng = new Rng(0);
  const model = buildPoseModel(config, rng, new ZeroRegistry(rng));
  const count = model.parameterCount();
  model.dispose();
  return count;
}
