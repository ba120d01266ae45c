import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs-core';

/** sha256 (hex) of the float32 bytes of `variables`, in order. */
export function weightsHash(variables: readonly tf.Variable[]): string {
  const hash = createHash('sha256');
  for (const v of variables) {
    const values = v.dataSync() as Float32Array;
    hash.update(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}
