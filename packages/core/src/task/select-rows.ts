import * as tf from '@tensorflow/tfjs-core';

/**
 * The rows `positions` of `x` along axis 0, as a new tensor of shape `[positions.length, …x.shape[1:]]`
 * and `x`'s dtype: what `tf.gather(x, positions)` returns, bit for bit (both only copy). For
 * `Task.selectSamples`: it is `tf.gatherND` with one index per row, which copies whole rows.
 * tfjs-backend-wasm 4.22's `Gather` kernel recomputes a multi-dimensional index for every element:
 * an AUSAM subset of 28×28 images took 1.9 ms per step that way and 0.17 ms now (1 wasm thread,
 * `tools/bench/profile/profile-trainer.ts`; docs/backends.md, "Trainer overhead over the bare step").
 *
 * @throws RangeError for a rank-0 `x` or a position outside `0 … x.shape[0]-1`.
 */
export function selectRows<T extends tf.Tensor>(x: T, positions: Int32Array): T {
  if (x.rank === 0) throw new RangeError('selectRows: expected a tensor of rank ≥ 1, found a scalar');
  const rows = x.shape[0];
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (!(Number.isInteger(p) && p >= 0 && p < rows)) {
      throw new RangeError(`selectRows: position ${p} at index ${k}: expected 0..${rows - 1}`);
    }
  }
  return tf.tidy(() => tf.gatherND(x, tf.tensor2d(positions, [positions.length, 1], 'int32'))) as T;
}
