import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../backend/select-backend';
import { Rng } from '../../random/rng';
import { weightedGradientSum } from './gradient-sum';

/** tfjs' float32 ops, as the replica pool combined gradients before: the reference. */
function withKernels(local: tf.Tensor[], others: Float32Array[], fractions: number[], variables: tf.Variable[]): Float32Array[] {
  let offset = 0;
  return variables.map((v, i) => {
    const start = offset;
    offset += v.size;
    return tf.tidy(() => {
      let sum = tf.mul(local[i], fractions[0]);
      others.forEach((g, k) => (sum = tf.add(sum, tf.mul(tf.tensor(g.subarray(start, start + v.size), v.shape, 'float32'), fractions[k + 1]))));
      return sum.dataSync() as Float32Array;
    });
  });
}

describe('weightedGradientSum', () => {
  it.each(['cpu', 'wasm'] as const)('equals tf.mul / tf.add bit for bit on %s (3 ranks, fractions 43/128, 43/128, 42/128), disposing the local gradients', async (backend) => {
    await selectBackend({ force: backend, threads: 1, log: () => {} });
    const rng = new Rng(7);
    const normal = (n: number) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * Math.exp(8 * (rng.next() - 0.5)));
    const variables = [tf.variable(tf.zeros([3, 5])), tf.variable(tf.zeros([7]))];
    const total = 15 + 7;
    const others = [normal(total), normal(total)];
    const fractions = [43 / 128, 43 / 128, 42 / 128];
    const local = () => [tf.tensor(normal(15), [3, 5]), tf.tensor(normal(7), [7])];
    const mine = local();
    const expected = withKernels(mine, others, fractions, variables);
    const before = tf.memory().numTensors;
    const sums = weightedGradientSum(variables, mine, others, fractions);
    // The two local tensors are disposed, one sum per variable is new.
    expect(tf.memory().numTensors).toBe(before);
    sums.forEach((sum, i) => {
      expect(sum.shape).toEqual(variables[i].shape);
      expect(Array.from(sum.dataSync())).toEqual(Array.from(expected[i]));
    });
    expect(mine.every((t) => t.isDisposed)).toBe(true);
    tf.dispose([...sums, ...variables]);
  });
});
