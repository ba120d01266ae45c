import * as builds from './filter-gradient-wasm';
import { expectLength, type ConvGeometry } from './conv-geometry';
import { callInHeap, ownHeap, type KernelHeap } from './kernel-heap';
import { NativeKernel } from './native-module';

/** Output pixels per chunk of the kernel's loop: the rows of x and dy it rereads stay in L1. */
const PIXELS_PER_CHUNK = 64;

/** The compiled `filter-gradient.c`. */
const kernel = new NativeKernel(builds);

/** Whether the wasm kernels use {@link nativeFilterGradient}: it runs here (WebAssembly with 128-bit SIMD) and is not switched off. */
export const nativeFilterGradientInUse = (): boolean => kernel.inUse();

/** Switches {@link nativeFilterGradient} off (tests and A/B runs of the fallback) or back on; returns the previous setting. */
export const useNativeFilterGradient = (on: boolean): boolean => kernel.use(on);

/**
 * `dW[kh, kw, ci, co] = Σ_{b,oh,ow} x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci] · dy[b, oh, ow, co]`
 * (input pixels outside `x` count as zeros), by core's own wasm SIMD kernel: 4 input channels × 8
 * output channels per register tile, accumulated over chunks of output pixels. The sum runs in a
 * fixed order, so the result does not depend on tfjs' thread pool.
 *
 * The kernel runs in `heap` (default: its own memory). Operands that are views of that heap's
 * memory (tfjs-backend-wasm tensors, see `kernel-util`'s `tfjsHeap`) are read and written in place;
 * others are copied in and out. `out` (`[kH, kW, Cin, Cout]` values) receives the result, a new
 * array by default; it is returned. A view of the heap passed as `out` may be detached by the call
 * (the heap may grow): read the result through its tensor.
 */
export function nativeFilterGradient(
  x: Float32Array,
  dy: Float32Array,
  g: ConvGeometry,
  heap: KernelHeap = ownHeap(),
  out: Float32Array = new Float32Array(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels),
): Float32Array {
  if (!kernel.available()) throw new Error('nativeFilterGradient: this runtime cannot run wasm SIMD');
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  expectLength('nativeFilterGradient', 'x', x, [batch, inHeight, inWidth, inChannels]);
  expectLength('nativeFilterGradient', 'dy', dy, [batch, outHeight, outWidth, outChannels]);
  expectLength('nativeFilterGradient', 'out', out, [filterHeight, filterWidth, inChannels, outChannels]);
  const functions = kernel.functions(heap);
  const operands = [
    { values: x, role: 'input' },
    { values: dy, role: 'input' },
    { values: out, role: 'output' },
  ] as const;
  callInHeap(heap, operands, [], ({ at: [xAt, dyAt, outAt] }) => {
    functions.filter_grad!(
      xAt!, dyAt!, outAt!, batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
      filterHeight, filterWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
      Math.max(1, Math.floor(PIXELS_PER_CHUNK / outWidth)),
    );
  });
  return out;
}
