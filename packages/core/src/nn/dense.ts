import * as tf from '@tensorflow/tfjs-core';
import type { ParameterRegistry } from './parameter-registry';

/** Fully connected layer y = xW + b, initialised like PyTorch's Linear. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(registry: ParameterRegistry, name: string, inFeatures: number, outFeatures: number) {
    this.kernel = registry.weight(`${name}/kernel`, [inFeatures, outFeatures], { kind: 'fanInUniform', fanIn: inFeatures });
    this.bias = registry.weight(`${name}/bias`, [outFeatures], { kind: 'fanInUniform', fanIn: inFeatures });
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }
}
