import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { selectRows } from './select-rows';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Every float32 bit pattern worth keeping apart: signed zeros, NaN, infinities, subnormals. */
const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, 1e-45, -3.5e-40, 1.5, -2.25];

function expectSameBits(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const x = a.dataSync();
  const y = b.dataSync();
  expect(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).toEqual(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
}

describe('selectRows', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`equals tf.gather along axis 0 bit for bit on ${backend} (float32 images, int32 labels, rank 1, 2 and 4)`, async () => {
      await tf.setBackend(backend);
      try {
        const images = tf.tensor4d(Float32Array.from({ length: 6 * 3 * 2 * 2 }, (_, i) => SPECIAL[i % SPECIAL.length] * (i + 1)), [6, 3, 2, 2]);
        const labels = tf.tensor1d(Int32Array.from([5, -1, 7, 0, 2147483647, -2147483648]), 'int32');
        const matrix = tf.tensor2d(Float32Array.from({ length: 6 * 4 }, (_, i) => SPECIAL[(3 * i) % SPECIAL.length]), [6, 4]);
        for (const positions of [Int32Array.from([0, 2, 3, 5]), Int32Array.from([4]), Int32Array.from([1, 1, 0]), new Int32Array(0)]) {
          for (const x of [images, labels, matrix]) {
            const before = tf.memory().numTensors;
            const selected = selectRows(x, positions);
            expect(tf.memory().numTensors).toBe(before + 1);
            const reference = tf.tidy(() => tf.gather(x, tf.tensor1d(positions, 'int32')));
            expectSameBits(selected, reference);
            tf.dispose([selected, reference]);
          }
        }
        tf.dispose([images, labels, matrix]);
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }

  it('returns a new tensor, not a view: disposing the source leaves it readable', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const selected = selectRows(x, Int32Array.from([2, 0]));
    x.dispose();
    expect(Array.from(selected.dataSync())).toEqual([5, 6, 1, 2]);
    selected.dispose();
  });

  it('rejects positions outside the rows and scalars, allocating nothing', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const scalar = tf.scalar(1);
    const before = tf.memory().numTensors;
    expect(() => selectRows(x, Int32Array.from([0, 2]))).toThrow('selectRows: position 2 at index 1: expected 0..1');
    expect(() => selectRows(x, Int32Array.from([-1]))).toThrow(RangeError);
    expect(() => selectRows(scalar, Int32Array.from([0]))).toThrow('expected a tensor of rank ≥ 1');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, scalar]);
  });
});
