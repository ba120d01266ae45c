import { SOURCE_SHA256 } from './conv-forward-wasm';
import type { ConvGeometry } from './conv-geometry';
import { forEachConvProduct } from './conv-reference';
import { nativeConvForward, nativeConvForwardInUse } from './native-conv-forward';
import { expectBuiltFrom, expectClose, randomValues, seededRandom } from '../test-helpers';

/** The definition, in float64: each output sums x·W over the input pixels its window reads inside `x`. */
function reference(x: Float32Array, filter: Float32Array, g: ConvGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  forEachConvProduct(g, (xi, yi, wi) => {
    y[yi] += x[xi]! * filter[wi]!;
  });
  return y;
}

const geometries: ConvGeometry[] = [
  // stride 1, 'same': a remainder column after the 4-column tiles, 5 outputs left after an 8-output tile
  { batch: 3, inHeight: 7, inWidth: 6, inChannels: 11, outHeight: 7, outWidth: 6, outChannels: 13, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1 },
  // stride 2, odd input, 'same'
  { batch: 2, inHeight: 7, inWidth: 7, inChannels: 16, outHeight: 4, outWidth: 4, outChannels: 32, filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1 },
  // 1×1 stride 2
  { batch: 2, inHeight: 8, inWidth: 8, inChannels: 8, outHeight: 4, outWidth: 4, outChannels: 16, filterHeight: 1, filterWidth: 1, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0 },
  // non-square filter, unequal strides, 'valid'; fewer outputs than a tile
  { batch: 2, inHeight: 10, inWidth: 9, inChannels: 9, outHeight: 4, outWidth: 8, outChannels: 7, filterHeight: 3, filterWidth: 2, strideHeight: 2, strideWidth: 1, padTop: 0, padLeft: 0 },
  // 5×5, stride 3, padding 2, wide rows, windows past the last input column
  { batch: 1, inHeight: 9, inWidth: 40, inChannels: 4, outHeight: 3, outWidth: 14, outChannels: 8, filterHeight: 5, filterWidth: 5, strideHeight: 3, strideWidth: 3, padTop: 2, padLeft: 2 },
];

function randomCase(g: ConvGeometry, seed: number): { x: Float32Array; filter: Float32Array } {
  const random = seededRandom(seed);
  const x = randomValues(random, g.batch * g.inHeight * g.inWidth * g.inChannels);
  const filter = randomValues(random, g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  return { x, filter };
}

describe('nativeConvForward (core’s wasm SIMD forward conv kernel)', () => {
  it('runs in this runtime', () => {
    expect(nativeConvForwardInUse()).toBe(true);
  });

  it.each(geometries.map((g, i) => [i, g] as const))('equals the float64 definition, geometry %i', (i, g) => {
    const { x, filter } = randomCase(g, 40 + i);
    const expected = reference(x, filter, g);
    const found = nativeConvForward(x, filter, g).slice();
    expectClose(found, expected, 1e-5);
  });

  it('gives the same bits on a second call (fixed summation order)', () => {
    const g = geometries[0]!;
    const { x, filter } = randomCase(g, 5);
    const first = nativeConvForward(x, filter, g).slice();
    expect(nativeConvForward(x, filter, g).slice()).toEqual(first);
  });

  it('rejects inputs that do not match the geometry', () => {
    expect(() => nativeConvForward(new Float32Array(3), new Float32Array(0), geometries[0]!)).toThrow('nativeConvForward: x has 3 values, expected 3×7×6×11');
  });

  it('is built from the current conv-forward.c (else run tools/wasm-kernels/build.sh)', () => {
    expectBuiltFrom('conv-forward.c', SOURCE_SHA256);
  });
});
