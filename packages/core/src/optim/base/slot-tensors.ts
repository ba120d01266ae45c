import * as tf from '@tensorflow/tfjs-core';

/** Per-variable optimizer state tensors (momentum buffers, Adam moments), owned and disposable. */
export class SlotTensors {
  private readonly values: (tf.Tensor | null)[] = [];

  get(index: number): tf.Tensor | null {
    return this.values[index] ?? null;
  }

  /** Replaces slot `index` with `value`, keeping it alive past the current tidy. */
  set(index: number, value: tf.Tensor): void {
    const previous = this.values[index];
    this.values[index] = tf.keep(value);
    if (previous && previous !== value) previous.dispose();
  }

  snapshot(): (Float32Array | null)[] {
    return this.values.map((t) => (t ? (t.dataSync() as Float32Array).slice() : null));
  }

  restore(arrays: (Float32Array | null)[], variables: readonly tf.Variable[], slotName: string): void {
    if (arrays.length !== variables.length) {
      throw new Error(`optimizer slot '${slotName}': expected ${variables.length} entries, found ${arrays.length}`);
    }
    this.dispose();
    arrays.forEach((values, i) => {
      if (values === null) return;
      if (values.length !== variables[i].size) {
        throw new Error(`optimizer slot '${slotName}'[${i}]: expected ${variables[i].size} values, found ${values.length}`);
      }
      this.values[i] = tf.keep(tf.tensor(values, variables[i].shape));
    });
  }

  dispose(): void {
    for (const t of this.values) t?.dispose();
    this.values.length = 0;
  }
}
