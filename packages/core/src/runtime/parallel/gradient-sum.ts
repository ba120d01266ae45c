import * as tf from '@tensorflow/tfjs-core';

/**
 * Σ_r fractions[r] · g_r per variable, in rank order: rank 0's gradients are `local` (tensors, disposed
 * here), rank r ≥ 1's are `others[r − 1]`, flattened in variable order. Summed in JavaScript with every
 * product and sum rounded to float32 (a float32 product or sum computed in float64 and rounded once is
 * the float32 operation), so the result equals `tf.add(tf.mul(g₀, f₀), tf.mul(g₁, f₁)) …` on any
 * backend bit for bit, at one new tensor per variable instead of two kernels and a tensor per rank.
 */
export function weightedGradientSum(variables: readonly tf.Variable[], local: readonly tf.Tensor[], others: readonly Float32Array[], fractions: readonly number[]): tf.Tensor[] {
  const scales = fractions.map((f) => Math.fround(f));
  let offset = 0;
  const out = variables.map((v, i) => {
    const sum = new Float32Array(v.size);
    const mine = local[i].dataSync() as Float32Array;
    for (let j = 0; j < v.size; j++) sum[j] = mine[j] * scales[0];
    others.forEach((theirs, k) => {
      const scale = scales[k + 1];
      for (let j = 0; j < v.size; j++) sum[j] += Math.fround(theirs[offset + j] * scale);
    });
    offset += v.size;
    return tf.tensor(sum, v.shape, 'float32');
  });
  for (const g of local) g.dispose();
  return out;
}
