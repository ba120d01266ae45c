import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/rng';
import type { TrainableModel } from '../task/contracts';

/** How to fill a new variable. */
export type Initializer =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  /** He/Kaiming normal, std = sqrt(2 / fanIn) (He et al. 2015), for ReLU networks. */
  | { kind: 'heNormal'; fanIn: number }
  /** Uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's default (kaiming_uniform, a = √5) for Linear and Conv weights and biases. */
  | { kind: 'fanInUniform'; fanIn: number }
  | { kind: 'normal'; std: number };

/**
 * Creates a model's variables with unique names and seeded initial values, and hands them to core
 * as a {@link TrainableModel}. Names become checkpoint keys, so they must be stable.
 */
export class ParameterRegistry implements TrainableModel {
  private readonly trainable: tf.Variable[] = [];
  private readonly state: tf.Variable[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly rng: Rng) {}

  get trainableVariables(): readonly tf.Variable[] {
    return this.trainable;
  }

  get stateVariables(): readonly tf.Variable[] {
    return this.state;
  }

  /** A trained variable. */
  weight(name: string, shape: number[], init: Initializer): tf.Variable {
    const variable = this.create(name, shape, init, true);
    this.trainable.push(variable);
    return variable;
  }

  /** A checkpointed, non-trained variable (e.g. BatchNorm running statistics). */
  buffer(name: string, shape: number[], init: Initializer): tf.Variable {
    const variable = this.create(name, shape, init, false);
    this.state.push(variable);
    return variable;
  }

  /** Number of trained scalars. */
  parameterCount(): number {
    return this.trainable.reduce((sum, v) => sum + v.size, 0);
  }

  dispose(): void {
    for (const v of [...this.trainable, ...this.state]) v.dispose();
    this.trainable.length = 0;
    this.state.length = 0;
    this.names.clear();
  }

  private create(name: string, shape: number[], init: Initializer, trainable: boolean): tf.Variable {
    if (this.names.has(name)) throw new Error(`ParameterRegistry: variable '${name}' already exists`);
    this.names.add(name);
    // tfjs variable names are global to the engine: a suffix keeps two models in one process apart.
    const value = tf.tidy(() => initialValue(shape, init, this.rng));
    const variable = tf.variable(value, trainable, `${name}#${uniqueSuffix()}`);
    value.dispose();
    (variable as tf.Variable & { ausamName?: string }).ausamName = name;
    return variable;
  }
}

/** The stable name a variable was registered under (without the engine-unique suffix). */
export function variableName(variable: tf.Variable): string {
  return (variable as tf.Variable & { ausamName?: string }).ausamName ?? variable.name.replace(/#\d+$/, '');
}

let nextSuffix = 0;
function uniqueSuffix(): number {
  return nextSuffix++;
}

function initialValue(shape: number[], init: Initializer, rng: Rng): tf.Tensor {
  switch (init.kind) {
    case 'zeros':
      return tf.zeros(shape);
    case 'ones':
      return tf.ones(shape);
    case 'heNormal':
      return tf.randomNormal(shape, 0, Math.sqrt(2 / init.fanIn), 'float32', rng.tfSeed());
    case 'fanInUniform': {
      const bound = 1 / Math.sqrt(init.fanIn);
      return tf.randomUniform(shape, -bound, bound, 'float32', rng.tfSeed());
    }
    case 'normal':
      return tf.randomNormal(shape, 0, init.std, 'float32', rng.tfSeed());
  }
}
