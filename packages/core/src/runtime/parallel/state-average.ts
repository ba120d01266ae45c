import type * as tf from '@tensorflow/tfjs-core';
import { readVariables, writeVariables } from './variable-buffer';

/**
 * State variables ← Σ_r fractions[r] · state_r, in float64 rounded to float32: rank 0's values are
 * `state`'s own, rank r ≥ 1's are `others[r − 1]` (flattened in variable order). Each replica
 * started the pass from the same values. With whole-batch BatchNorm statistics every replica holds
 * this thread's values bit for bit; their weighted mean (the fractions sum to 1) rounds back to
 * those values, so the variables are then left in place, unassigned.
 */
export function averageState(state: readonly tf.Variable[], others: readonly Float32Array[], fractions: readonly number[]): void {
  const mine = readVariables(state);
  if (others.every((theirs) => sameBits(theirs, mine))) return;
  const mean = new Float32Array(mine.length);
  for (let j = 0; j < mine.length; j++) {
    let sum = fractions[0] * mine[j];
    others.forEach((theirs, k) => (sum += fractions[k + 1] * theirs[j]));
    mean[j] = sum;
  }
  writeVariables(state, mean);
}

/** Whether two float32 arrays hold the same bit patterns (NaNs and signed zeros included). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  return true;
}
