import * as builds from './conv-taps-wasm';
import { expectLength, type ConvGeometry } from './conv-geometry';
import { callInHeap, ownHeap, type KernelHeap } from './kernel-heap';
import { NativeKernel } from './native-module';
import { nativeConvForward } from './native-conv-forward';

/** The compiled `conv-taps.c`. */
const kernel = new NativeKernel(builds);

/** Whether the wasm kernels use {@link nativeInputGradient}: it runs here (WebAssembly with 128-bit SIMD) and is not switched off. */
export const nativeInputGradientInUse = (): boolean => kernel.inUse();

/** Switches {@link nativeInputGradient} off (tests and A/B runs of the fallback) or back on; returns the previous setting. */
export const useNativeInputGradient = (on: boolean): boolean => kernel.use(on);

/** One output phase `(rowPhase, colPhase)` of the input gradient: its grid and the taps that reach it. */
interface Phase {
  readonly row: number;
  readonly col: number;
  readonly rows: number;
  readonly cols: number;
  /** `[dyRowOffset, dyColOffset, filterTap]`: the phase's grid point `(i, j)` reads `dy[i + rowOffset, j + colOffset]`. */
  readonly taps: ReadonlyArray<readonly [number, number, number]>;
}

/**
 * Input row `ih = r + s·i` (phase `r`) receives `dy[oh]·W[kh]ᵀ` for `oh·s + kh − pad = ih`, i.e.
 * the taps with `kh ≡ r + pad (mod s)`, at `oh = i + (r + pad − kh)/s`.
 */
function axisTaps(phase: number, stride: number, pad: number, filterSize: number): Array<[number, number]> {
  const taps: Array<[number, number]> = [];
  for (let k = 0; k < filterSize; k++) {
    const shift = phase + pad - k;
    if (((shift % stride) + stride) % stride === 0) taps.push([k, shift / stride]);
  }
  return taps;
}

function phasesOf(g: ConvGeometry): Phase[] {
  const phases: Phase[] = [];
  for (let row = 0; row < Math.min(g.strideHeight, g.inHeight); row++) {
    for (let col = 0; col < Math.min(g.strideWidth, g.inWidth); col++) {
      const taps: Array<[number, number, number]> = [];
      for (const [kh, rowOffset] of axisTaps(row, g.strideHeight, g.padTop, g.filterHeight)) {
        for (const [kw, colOffset] of axisTaps(col, g.strideWidth, g.padLeft, g.filterWidth)) taps.push([rowOffset, colOffset, kh * g.filterWidth + kw]);
      }
      phases.push({ row, col, rows: Math.ceil((g.inHeight - row) / g.strideHeight), cols: Math.ceil((g.inWidth - col) / g.strideWidth), taps });
    }
  }
  return phases;
}

/**
 * A stride-1 conv's input gradient is the forward conv of `dy` with the filter reversed spatially
 * and its channel axes swapped, `W'[kh', kw', co, ci] = W[kH−1−kh', kW−1−kw', ci, co]`, padded by
 * `kH−1−padTop` rows and `kW−1−padLeft` columns: `conv-forward.c` runs it without a padded copy.
 */
function strideOneInputGradient(dy: Float32Array, filter: Float32Array, g: ConvGeometry, heap: KernelHeap, out: Float32Array): Float32Array {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  expectLength('nativeInputGradient', 'dy', dy, [batch, outHeight, outWidth, outChannels]);
  expectLength('nativeInputGradient', 'filter', filter, [filterHeight, filterWidth, inChannels, outChannels]);
  expectLength('nativeInputGradient', 'out', out, [batch, inHeight, inWidth, inChannels]);
  const taps = filterHeight * filterWidth;
  const slab = inChannels * outChannels;
  const reversed = new Float32Array(filter.length);
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * slab;
    for (let ci = 0; ci < inChannels; ci++)
      for (let co = 0; co < outChannels; co++) reversed[t * slab + co * inChannels + ci] = filter[from + ci * outChannels + co]!;
  }
  const forward: ConvGeometry = {
    batch,
    inHeight: outHeight,
    inWidth: outWidth,
    inChannels: outChannels,
    outHeight: inHeight,
    outWidth: inWidth,
    outChannels: inChannels,
    filterHeight,
    filterWidth,
    strideHeight: 1,
    strideWidth: 1,
    padTop: filterHeight - 1 - g.padTop,
    padLeft: filterWidth - 1 - g.padLeft,
  };
  return nativeConvForward(dy, reversed, forward, heap, out);
}

/**
 * `dx[b, ih, iw, ci] = Σ dy[b, oh, ow, co] · W[kh, kw, ci, co]` over `oh·sh + kh − padTop = ih`,
 * `ow·sw + kw − padLeft = iw` (the input gradient of conv2d; `dy` outside its bounds counts as
 * zero), by core's wasm SIMD kernels: a stride-1 conv's as a forward conv (`conv-forward.c`, see
 * {@link strideOneInputGradient}); a strided one's by `conv-taps.c`, where each of the `sh·sw` phases of `dx` is a
 * stride-1 correlation of `dy` with the taps that reach it, so a strided conv costs exactly its
 * useful multiply-adds; the kernel skips taps whose `dy` row lies outside and reads zeros for
 * columns outside, so `dy` is not copied. The sum runs in a fixed order.
 *
 * The kernel runs in `heap` (default: its own memory), as `nativeFilterGradient` does: operands in
 * that heap's memory are used in place, `out` (`[B, H, W, Cin]`, a new array by default) receives
 * the result and is returned. The transposed filter, the tap tables and `Cout` zeros are scratch
 * blocks of the heap, allocated for the call.
 */
export function nativeInputGradient(
  dy: Float32Array,
  filter: Float32Array,
  g: ConvGeometry,
  heap: KernelHeap = ownHeap(),
  out: Float32Array = new Float32Array(g.batch * g.inHeight * g.inWidth * g.inChannels),
): Float32Array {
  if (!kernel.available()) throw new Error('nativeInputGradient: this runtime cannot run wasm SIMD');
  if (g.strideHeight === 1 && g.strideWidth === 1) return strideOneInputGradient(dy, filter, g, heap, out);
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  expectLength('nativeInputGradient', 'dy', dy, [batch, outHeight, outWidth, outChannels]);
  expectLength('nativeInputGradient', 'filter', filter, [filterHeight, filterWidth, inChannels, outChannels]);
  expectLength('nativeInputGradient', 'out', out, [batch, inHeight, inWidth, inChannels]);
  const functions = kernel.functions(heap);
  const phases = phasesOf(g);
  const all = phases.flatMap((p) => p.taps);
  const tapCount = filterHeight * filterWidth;
  const slab = inChannels * outChannels;
  const operands = [
    { values: dy, role: 'input' },
    { values: filter, role: 'scriptInput' },
    { values: out, role: 'output' },
  ] as const;
  callInHeap(heap, operands, [4 * filter.length, 12 * all.length, 4 * outChannels], (call) => {
    const [filterAt, tapsAt, zeroAt] = call.scratch as [number, number, number];
    const memory = heap.memory.buffer;
    const filterValues = call.view(1);
    new Float32Array(memory, zeroAt, outChannels).fill(0);
    // Each tap's [co, ci] slab: W[kh, kw] transposed, so the kernel's output channels (ci) are contiguous.
    const transposed = new Float32Array(memory, filterAt, tapCount * slab);
    for (let t = 0; t < tapCount; t++)
      for (let ci = 0; ci < inChannels; ci++)
        for (let co = 0; co < outChannels; co++) transposed[t * slab + co * inChannels + ci] = filterValues[t * slab + ci * outChannels + co]!;
    let tapsOffset = tapsAt;
    for (const phase of phases) {
      const table = new Int32Array(memory, tapsOffset, 3 * phase.taps.length);
      phase.taps.forEach(([r, c, tap], i) => table.set([r, c, tap * slab], 3 * i));
      functions.conv_taps!(
        call.at[0]!, batch, outHeight, outWidth, outChannels, call.at[2]!, inHeight, inWidth, inChannels,
        phase.rows, phase.cols, 1, 1, phase.row, phase.col, g.strideHeight, g.strideWidth, phase.taps.length, tapsOffset, filterAt, zeroAt,
      );
      tapsOffset += 12 * phase.taps.length;
    }
  });
  return out;
}
