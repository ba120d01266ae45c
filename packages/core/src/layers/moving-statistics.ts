import * as tf from '@tensorflow/tfjs-core';

/**
 * Values of variables saved before a pass that must not move them (BatchNorm moving mean and
 * variance during SAM's perturbed pass) and put back, bit for bit, afterwards.
 */
export class SavedValues {
  private readonly values: tf.Tensor[];

  constructor(private readonly variables: readonly tf.Variable[]) {
    this.values = variables.map((v) => tf.keep(tf.clone(v)));
  }

  /** Writes the saved values back and releases them; call once. */
  restore(): void {
    this.variables.forEach((v, i) => v.assign(this.values[i]));
    this.dispose();
  }

  dispose(): void {
    for (const t of this.values) t.dispose();
    this.values.length = 0;
  }
}
