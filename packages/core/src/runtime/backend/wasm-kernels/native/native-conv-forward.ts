import * as builds from './conv-forward-wasm';
import { expectLength, type ConvGeometry } from './conv-geometry';
import { callInHeap, ownHeap, type KernelHeap } from './kernel-heap';
import { NativeKernel } from './native-module';

/** The compiled `conv-forward.c`. */
const kernel = new NativeKernel(builds);

/** Whether the wasm kernels use {@link nativeConvForward}: it runs here (WebAssembly with 128-bit SIMD) and is not switched off. */
export const nativeConvForwardInUse = (): boolean => kernel.inUse();

/** Switches {@link nativeConvForward} off (tests and A/B runs of the fallback) or back on; returns the previous setting. */
export const useNativeConvForward = (on: boolean): boolean => kernel.use(on);

/**
 * `y[b, oh, ow, co] = Σ_{kh,kw,ci} x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci] · W[kh, kw, ci, co]`
 * (input pixels outside `x` count as zeros; undilated), by core's wasm SIMD kernel
 * (`conv-forward.c`): 4 output columns × 8 output channels per register tile, summed over the taps
 * (kh, then kw) and, within each, the input channels, in that fixed order; no padded copy of `x`.
 * A padding column contributes 0·w (NaN for an infinite weight, as XNNPACK's zero buffer does); a
 * padding row is skipped.
 *
 * The kernel runs in `heap` (default: its own memory), as `nativeFilterGradient` does: operands in
 * that heap's memory are used in place, `out` (`[B, OH, OW, Cout]`, a new array by default)
 * receives the result and is returned. The `Cin` zeros the padding columns read are a scratch block
 * of the heap, allocated for the call.
 */
export function nativeConvForward(
  x: Float32Array,
  filter: Float32Array,
  g: ConvGeometry,
  heap: KernelHeap = ownHeap(),
  out: Float32Array = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels),
): Float32Array {
  if (!kernel.available()) throw new Error('nativeConvForward: this runtime cannot run wasm SIMD');
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  expectLength('nativeConvForward', 'x', x, [batch, inHeight, inWidth, inChannels]);
  expectLength('nativeConvForward', 'filter', filter, [filterHeight, filterWidth, inChannels, outChannels]);
  expectLength('nativeConvForward', 'out', out, [batch, outHeight, outWidth, outChannels]);
  const functions = kernel.functions(heap);
  const operands = [
    { values: x, role: 'input' },
    { values: filter, role: 'input' },
    { values: out, role: 'output' },
  ] as const;
  callInHeap(heap, operands, [4 * inChannels], ({ at: [xAt, filterAt, outAt], scratch: [zeroAt] }) => {
    new Float32Array(heap.memory.buffer, zeroAt!, inChannels).fill(0);
    functions.conv_forward!(
      xAt!, batch, inHeight, inWidth, inChannels, filterAt!, outChannels, filterHeight, filterWidth,
      g.strideHeight, g.strideWidth, g.padTop, g.padLeft, outAt!, outHeight, outWidth, zeroAt!,
    );
  });
  return out;
}
