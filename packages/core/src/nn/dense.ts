import * as tf from '@tensorflow/tfjs-core';
import type { ParameterRegistry } from './parameter-registry';

/**
 * How a {@link Dense} layer starts: 'pytorch' (default) is `nn.Linear`'s U(±1/√in) for weights and
 * bias; 'zeros' starts both at zero, as the WRN of davda54/sam and ajiaaa/AUSAM does its classifier.
 */
export type DenseInit = 'pytorch' | 'zeros';

/** Fully connected layer y = xW + b, initialised like PyTorch's Linear unless `init` says 'zeros'. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(registry: ParameterRegistry, name: string, inFeatures: number, outFeatures: number, init: DenseInit = 'pytorch') {
    if (init !== 'pytorch' && init !== 'zeros') throw new Error(`Dense ${name}: init must be 'pytorch' or 'zeros', found '${String(init)}'`);
    const values = init === 'zeros' ? ({ kind: 'zeros' } as const) : ({ kind: 'fanInUniform', fanIn: inFeatures } as const);
    this.kernel = registry.weight(`${name}/kernel`, [inFeatures, outFeatures], values);
    this.bias = registry.weight(`${name}/bias`, [outFeatures], values);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }
}
