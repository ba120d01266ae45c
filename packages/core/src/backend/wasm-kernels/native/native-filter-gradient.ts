import { WASM_BASE64 } from './filter-gradient-wasm';

/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The shapes and window of one filter gradient (NHWC input, `[kh, kw, cin, cout]` filter, dilation 1). */
export interface FilterGradientGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  /** Zero rows above / columns left of the input that the forward pass's window starts in. */
  readonly padTop: number;
  readonly padLeft: number;
}

interface LoadedKernel {
  readonly memory: WasmMemory;
  readonly heapBase: number;
  readonly run: (...args: number[]) => void;
}

/** Output pixels per chunk of the kernel's loop: the rows of x and dy it rereads stay in L1. */
const PIXELS_PER_CHUNK = 64;

let kernel: LoadedKernel | null | undefined;

/** The compiled kernel (`filter-gradient.c`), or null where this runtime cannot run wasm SIMD. */
function loadKernel(): LoadedKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const exports = instance.exports as { memory: WasmMemory; __heap_base: { value: number }; filter_grad: (...args: number[]) => void };
    kernel = { memory: exports.memory, heapBase: Number(exports.__heap_base.value), run: exports.filter_grad };
  } catch {
    kernel = null;
  }
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
export function nativeFilterGradient(x: Float32Array, dy: Float32Array, g: FilterGradientGeometry): Float32Array {
  const loaded = loadKernel();
  if (!loaded) throw new Error('nativeFilterGradient: this runtime cannot run wasm SIMD');
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  if (x.length !== batch * inHeight * inWidth * inChannels) throw new RangeError(`nativeFilterGradient: x has ${x.length} values, expected ${batch}×${inHeight}×${inWidth}×${inChannels}`);
  if (dy.length !== batch * outHeight * outWidth * outChannels) throw new RangeError(`nativeFilterGradient: dy has ${dy.length} values, expected ${batch}×${outHeight}×${outWidth}×${outChannels}`);
  const outSize = filterHeight * filterWidth * inChannels * outChannels;
  const align = (n: number) => (n + 15) & ~15;
  const xAt = align(loaded.heapBase);
  const dyAt = align(xAt + 4 * x.length);
  const outAt = align(dyAt + 4 * dy.length);
  const needed = outAt + 4 * outSize;
  if (loaded.memory.buffer.byteLength < needed) loaded.memory.grow(Math.ceil((needed - loaded.memory.buffer.byteLength) / 65536));
  new Float32Array(loaded.memory.buffer, xAt, x.length).set(x);
  new Float32Array(loaded.memory.buffer, dyAt, dy.length).set(dy);
  loaded.run(
    xAt, dyAt, outAt, batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
    filterHeight, filterWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
    Math.max(1, Math.floor(PIXELS_PER_CHUNK / outWidth)),
  );
  return new Float32Array(loaded.memory.buffer, outAt, outSize).slice();
}
