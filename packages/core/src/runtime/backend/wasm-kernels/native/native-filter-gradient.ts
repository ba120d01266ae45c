import { WASM_BASE64 } from './filter-gradient-wasm';
import { expectLength, type ConvGeometry } from './conv-geometry';
import { instantiateNative, type NativeModule } from './native-module';

/** Output pixels per chunk of the kernel's loop: the rows of x and dy it rereads stay in L1. */
const PIXELS_PER_CHUNK = 64;

let kernel: NativeModule | null | undefined;

/** The compiled kernel (`filter-gradient.c`), or null where this runtime cannot run wasm SIMD. */
function loadKernel(): NativeModule | null {
  if (kernel === undefined) kernel = instantiateNative(WASM_BASE64);
  return kernel;
}

let enabled = true;

/** Whether the wasm kernels use {@link nativeFilterGradient}: it runs here (WebAssembly with 128-bit SIMD) and is not switched off. */
export function nativeFilterGradientInUse(): boolean {
  return enabled && loadKernel() !== null;
}

/** Switches the native kernel off (tests of the transposed-conv fallback) or back on; returns the previous setting. */
export function useNativeFilterGradient(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * `dW[kh, kw, ci, co] = Σ_{b,oh,ow} x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci] · dy[b, oh, ow, co]`
 * (input pixels outside `x` count as zeros), by core's own wasm SIMD kernel: 4 input channels × 8
 * output channels per register tile, accumulated over chunks of output pixels. The sum runs in a
 * fixed order, so the result does not depend on tfjs' thread pool.
 */
export function nativeFilterGradient(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const loaded = loadKernel();
  if (!loaded) throw new Error('nativeFilterGradient: this runtime cannot run wasm SIMD');
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  expectLength('nativeFilterGradient', 'x', x, [batch, inHeight, inWidth, inChannels]);
  expectLength('nativeFilterGradient', 'dy', dy, [batch, outHeight, outWidth, outChannels]);
  const outSize = filterHeight * filterWidth * inChannels * outChannels;
  const [xAt, dyAt, outAt] = loaded.place([4 * x.length, 4 * dy.length, 4 * outSize]);
  loaded.floats(xAt!, x.length).set(x);
  loaded.floats(dyAt!, dy.length).set(dy);
  loaded.exports.filter_grad!(
    xAt!, dyAt!, outAt!, batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
    filterHeight, filterWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
    Math.max(1, Math.floor(PIXELS_PER_CHUNK / outWidth)),
  );
  return loaded.floats(outAt!, outSize).slice();
}
