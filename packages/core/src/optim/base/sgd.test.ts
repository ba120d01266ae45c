import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AdamW } from './adamw';
import { Sgd } from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function values(v: tf.Tensor): number[] {
  return Array.from(v.dataSync());
}

describe('Sgd (PyTorch semantics)', () => {
  it('matches a hand-computed two-step trajectory with momentum and weight decay', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const sgd = new Sgd({ momentum: 0.9, weightDecay: 0.01 });
    sgd.apply([w], [tf.tensor1d([0.5, -1])], 0.1);
    // d = g + 0.01·w = [0.51, −0.98]; buffer = d; w = w − 0.1·d
    values(w).forEach((v, i) => expect(v).toBeCloseTo([0.949, 2.098][i], 6));
    sgd.apply([w], [tf.tensor1d([0.2, 0.4])], 0.1);
    // d = [0.2 + 0.00949, 0.4 + 0.02098]; buffer = 0.9·[0.51, −0.98] + d = [0.66849, −0.46102]
    values(w).forEach((v, i) => expect(v).toBeCloseTo([0.949 - 0.066849, 2.098 + 0.046102][i], 6));
    sgd.dispose();
    w.dispose();
  });

  it('applies Nesterov momentum as d + μ·buffer', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0.01 });
    sgd.apply([w], [tf.tensor1d([0.5, -1])], 0.1);
    // first step: buffer = d, direction = d + 0.9·d = 1.9·[0.51, −0.98]
    values(w).forEach((v, i) => expect(v).toBeCloseTo([1 - 0.0969, 2 + 0.1862][i], 6));
    sgd.dispose();
    w.dispose();
  });

  it('round-trips its state through state()/load()', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const a = new Sgd({ momentum: 0.9 });
    a.apply([w], [tf.tensor1d([1, 1])], 0.1);
    const b = new Sgd({ momentum: 0.9 });
    b.load(a.state(), [w]);
    const w2 = tf.variable(w.clone());
    a.apply([w], [tf.tensor1d([0.5, 0.5])], 0.1);
    b.apply([w2], [tf.tensor1d([0.5, 0.5])], 0.1);
    expect(values(w2)).toEqual(values(w));
    expect(() => b.load({ ...a.state(), kind: 'adamw' }, [w])).toThrow(/expected state of kind 'sgd'/);
    a.dispose();
    b.dispose();
  });

  it('rejects Nesterov without momentum', () => {
    expect(() => new Sgd({ nesterov: true })).toThrow(/Nesterov/);
  });
});

describe('AdamW (decoupled weight decay)', () => {
  it('matches a hand-computed first step', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const adam = new AdamW({ weightDecay: 0.01 });
    adam.apply([w], [tf.tensor1d([0.5, -1])], 0.1);
    // bias-corrected m̂ = g, v̂ = g², so the update is g/(|g| + ε) ≈ sign(g); decay w·(1 − 0.1·0.01)
    values(w).forEach((v, i) => expect(v).toBeCloseTo([0.999 - 0.1, 1.998 + 0.1][i], 6));
    adam.apply([w], [tf.tensor1d([0.5, -1])], 0.1);
    // same gradient again: m̂ = g and v̂ = g² still, so another ≈ sign(g) step
    values(w).forEach((v, i) => expect(v).toBeCloseTo([0.899 * 0.999 - 0.1, 2.098 * 0.999 + 0.1][i], 5));
    adam.dispose();
  });
});
