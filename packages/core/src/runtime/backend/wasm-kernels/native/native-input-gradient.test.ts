import { SOURCE_SHA256 } from './conv-taps-wasm';
import type { ConvGeometry } from './conv-geometry';
import { forEachConvProduct } from './conv-reference';
import { nativeInputGradient, nativeInputGradientInUse } from './native-input-gradient';
import { expectBuiltFrom, expectClose, randomValues, seededRandom } from '../test-helpers';

/** The definition, in float64: each input pixel sums dy·Wᵀ over the output pixels whose window read it. */
function reference(dy: Float32Array, filter: Float32Array, g: ConvGeometry): Float64Array {
  const dx = new Float64Array(g.batch * g.inHeight * g.inWidth * g.inChannels);
  forEachConvProduct(g, (xi, di, wi) => {
    dx[xi] += dy[di]! * filter[wi]!;
  });
  return dx;
}

const geometries: ConvGeometry[] = [
  // stride 1, 'same': 4-column tiles with a remainder column, 8-channel tiles with remainder channels
  { batch: 3, inHeight: 7, inWidth: 6, inChannels: 11, outHeight: 7, outWidth: 6, outChannels: 5, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1 },
  // stride 2, odd input (phases of unequal size), the 'same' window starting on the input
  { batch: 2, inHeight: 7, inWidth: 7, inChannels: 16, outHeight: 4, outWidth: 4, outChannels: 32, filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1 },
  // 1×1 stride 2 (phases no tap reaches are zeros)
  { batch: 2, inHeight: 8, inWidth: 8, inChannels: 8, outHeight: 4, outWidth: 4, outChannels: 16, filterHeight: 1, filterWidth: 1, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0 },
  // non-square filter, unequal strides, 'valid' with input rows no window reads
  { batch: 2, inHeight: 10, inWidth: 9, inChannels: 9, outHeight: 4, outWidth: 8, outChannels: 7, filterHeight: 3, filterWidth: 2, strideHeight: 2, strideWidth: 1, padTop: 0, padLeft: 0 },
  // 5×5, stride 3, padding 2, wide rows
  { batch: 1, inHeight: 9, inWidth: 40, inChannels: 4, outHeight: 3, outWidth: 14, outChannels: 8, filterHeight: 5, filterWidth: 5, strideHeight: 3, strideWidth: 3, padTop: 2, padLeft: 2 },
];

function randomCase(g: ConvGeometry, seed: number): { dy: Float32Array; filter: Float32Array } {
  const random = seededRandom(seed);
  const dy = randomValues(random, g.batch * g.outHeight * g.outWidth * g.outChannels);
  const filter = randomValues(random, g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  return { dy, filter };
}

describe('nativeInputGradient (core’s wasm SIMD conv kernel)', () => {
  it('runs in this runtime', () => {
    expect(nativeInputGradientInUse()).toBe(true);
  });

  it.each(geometries.map((g, i) => [i, g] as const))('equals the float64 definition, geometry %i', (i, g) => {
    const { dy, filter } = randomCase(g, 70 + i);
    const expected = reference(dy, filter, g);
    const found = nativeInputGradient(dy, filter, g).slice();
    expectClose(found, expected, 1e-5);
  });

  it('gives the same bits on a second call (fixed summation order)', () => {
    const g = geometries[1]!;
    const { dy, filter } = randomCase(g, 5);
    const first = nativeInputGradient(dy, filter, g).slice();
    expect(nativeInputGradient(dy, filter, g).slice()).toEqual(first);
  });

  it('rejects inputs that do not match the geometry', () => {
    expect(() => nativeInputGradient(new Float32Array(3), new Float32Array(0), geometries[0]!)).toThrow('nativeInputGradient: dy has 3 values, expected 3×7×6×5');
  });

  it('is built from the current conv-taps.c (else run tools/wasm-kernels/build.sh)', () => {
    expectBuiltFrom('conv-taps.c', SOURCE_SHA256);
  });
});
