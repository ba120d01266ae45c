import { SOURCE_SHA256 } from './filter-gradient-wasm';
import type { ConvGeometry } from './conv-geometry';
import { forEachConvProduct } from './conv-reference';
import { nativeFilterGradient, nativeFilterGradientInUse } from './native-filter-gradient';
import { expectBuiltFrom, expectClose, randomValues, seededRandom } from '../test-helpers';

/** The definition, in float64: Σ over batch and output pixels, zero outside the input. */
function reference(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float64Array {
  const out = new Float64Array(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  forEachConvProduct(g, (xi, di, wi) => {
    out[wi] += x[xi]! * dy[di]!;
  });
  return out;
}

const geometries: ConvGeometry[] = [
  // every tile path: 4-channel blocks with a remainder channel, 8-output blocks with remainder outputs
  { batch: 3, inHeight: 7, inWidth: 6, inChannels: 5, outHeight: 7, outWidth: 6, outChannels: 11, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1 },
  // the 1-channel stem shape, stride 2, padding only where the window needs it
  { batch: 4, inHeight: 9, inWidth: 9, inChannels: 1, outHeight: 5, outWidth: 5, outChannels: 16, filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1 },
  // non-square filter, unequal strides, a window that ends inside the input ('valid', rows left unread)
  { batch: 2, inHeight: 10, inWidth: 8, inChannels: 8, outHeight: 4, outWidth: 7, outChannels: 24, filterHeight: 3, filterWidth: 2, strideHeight: 2, strideWidth: 1, padTop: 0, padLeft: 0 },
  // wide rows (several chunks per image) and padding beyond one pixel
  { batch: 2, inHeight: 5, inWidth: 70, inChannels: 4, outHeight: 5, outWidth: 70, outChannels: 8, filterHeight: 5, filterWidth: 5, strideHeight: 1, strideWidth: 1, padTop: 2, padLeft: 2 },
];

describe('nativeFilterGradient (core’s wasm SIMD kernel)', () => {
  it('runs in this runtime', () => {
    expect(nativeFilterGradientInUse()).toBe(true);
  });

  it.each(geometries.map((g, i) => [i, g] as const))('equals the float64 definition, geometry %i', (i, g) => {
    const random = seededRandom(40 + i);
    const x = randomValues(random, g.batch * g.inHeight * g.inWidth * g.inChannels);
    const dy = randomValues(random, g.batch * g.outHeight * g.outWidth * g.outChannels);
    const expected = reference(x, dy, g);
    const found = nativeFilterGradient(x, dy, g);
    expectClose(found, expected, 1e-5);
  });

  it('gives the same bits on a second call (fixed summation order)', () => {
    const g = geometries[0];
    const random = seededRandom(9);
    const x = Float32Array.from({ length: g.batch * g.inHeight * g.inWidth * g.inChannels }, () => random());
    const dy = Float32Array.from({ length: g.batch * g.outHeight * g.outWidth * g.outChannels }, () => random());
    expect(nativeFilterGradient(x, dy, g)).toEqual(nativeFilterGradient(x, dy, g));
  });

  it('rejects inputs that do not match the geometry', () => {
    expect(() => nativeFilterGradient(new Float32Array(3), new Float32Array(0), geometries[0])).toThrow('nativeFilterGradient: x has 3 values, expected 3×7×6×5');
  });

  it('is built from the current filter-gradient.c (else run tools/wasm-kernels/build.sh)', () => {
    expectBuiltFrom('filter-gradient.c', SOURCE_SHA256);
  });
});
