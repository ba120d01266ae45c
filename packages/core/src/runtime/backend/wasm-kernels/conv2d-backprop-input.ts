import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from './native/conv-geometry';
import { asTensor, expectShape, float32Output, float32View, kernelError, pair, requireInputGradientOperands, type KernelArgs } from './kernel-util';
import { nativeInputGradient, nativeInputGradientInUse } from './native/native-input-gradient';
import { dilateSpatial, windowAsPadding } from './spatial';

const name = tf.Conv2DBackpropInput;

/**
 * `Conv2DBackpropInput` (the input gradient of `conv2d`, also `conv2dTranspose`) for the wasm
 * backend. Undilated convs with 8 or more input channels run core's own wasm SIMD kernel (`native/conv-taps.c`: one stride-1
 * correlation per output phase, so a strided conv does only its useful multiply-adds). Otherwise,
 * and where that kernel cannot run, the gradient is composed from wasm's XNNPACK Conv2D and BatchMatMul, Transpose and Reshape (plus a
 * Slice where an input size is not a multiple of the stride, and PadV2 for strided dilated convs).
 * It replaces tfjs-backend-wasm 4.22's own kernel, a scalar C++ loop of about 1 GFLOP/s.
 *
 * `dx[b,h,w,ci] = Σ_{kh,kw,co} dyₛ[b, h + top - kh·d, w + left - kw·d, co] · W[kh,kw,ci,co]`, where
 * `dyₛ` is `dy` with `s - 1` zeros inserted after each row/column: a stride-1 correlation of `dyₛ`
 * with the filter reversed spatially and with its channel axes swapped (`[kH, kW, Cout, Cin]`).
 * - Stride 1 (any dilation `d`): that correlation, one 'valid' conv2d whose explicit padding is
 *   the `(kH-1)·d - top` rows in front and the rows up to `H + (kH-1)·d` (no copy of `dy`).
 * - Stride `s` > 1 without dilation ({@link subPixelInputGradient}): each of the `s×s` output
 *   phases is a stride-1 correlation of `dy` itself with a sub-filter, so one conv2d computes all
 *   phases as `s²·Cin` channels and a transpose interleaves them. This skips the zeros of `dyₛ`
 *   (a 3×3 stride-2 layer does 16 instead of 36 multiply-adds per 2×2 block of `dx`, per channel
 *   pair).
 * - Stride > 1 with dilation > 1 (only reachable by calling the kernel directly): `dyₛ` is built
 *   (reshape → pad → reshape) and correlated as for stride 1.
 * tfjs' kernel has no `dilations` attribute (its conv2d gradient rejects dilations); TensorFlow's
 * does, so a `dilations` attribute is honoured, with any strides.
 *
 * `dataFormat: 'NCHW'` is handed to `fallback`: the kernel this one displaced, when there was one.
 */
export function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const dilations = (attrs as { dilations?: number | [number, number] }).dilations;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    if (fallback) return fallback(args) as tf.TensorInfo;
    throw kernelError(name, `dataFormat '${dataFormat}' is not supported (wasm convolutions are NHWC only)`);
  }
  const [strideH, strideW] = pair(strides);
  const [dilationH, dilationW] = pair(dilations);
  const { dyInfo, filterInfo, filterShape } = requireInputGradientOperands(name, inputs, inputShape);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, [dilationH, dilationW], pad, dimRoundingMode);
  expectShape(name, 'dy', dyInfo.shape, info.outShape);
  const [, height, width] = inputShape;
  const [filterH, filterW] = filterShape;

  return tf.tidy(() => {
    const dy = asTensor<tf.Tensor4D>(dyInfo);
    const filter = asTensor<tf.Tensor4D>(filterInfo);
    if (dy.size === 0 || filter.size === 0) return tf.zeros(inputShape);
    const strided = strideH > 1 || strideW > 1;
    const undilated = dilationH === 1 && dilationW === 1;
    // The native kernel tiles 8 input channels at a time; fewer (an RGB stem) run scalar there, slower than XNNPACK.
    if (undilated && info.inChannels >= 8 && nativeInputGradientInUse()) return nativeGradient(dy, filter, info);
    if (strided && undilated) return subPixelInputGradient(dy, filter, info);
    const spanH = (filterH - 1) * dilationH;
    const spanW = (filterW - 1) * dilationW;
    const window = windowAsPadding(
      dilateSpatial(dy, strideH, strideW),
      { start: info.padInfo.top - spanH, length: height + spanH },
      { start: info.padInfo.left - spanW, length: width + spanW },
    );
    const taps = Array.from({ length: filterH * filterW }, (_, i) => filterH * filterW - 1 - i);
    const flipped = tf.reshape<tf.Rank.R4>(selectTaps(filter, taps), [filterH, filterW, info.outChannels, info.inChannels]);
    return tf.conv2d(window.input, flipped, 1, window.pad, 'NHWC', [dilationH, dilationW]);
  });
}

function nativeGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const shape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  return float32Output<tf.Rank.R4>(shape, (out, heap) => nativeInputGradient(float32View(dy), float32View(filter), convGeometry(info), heap, out));
}

/** The phases of one spatial axis of a strided transposed convolution (see {@link subPixelInputGradient}). */
interface AxisPhases {
  /** Rows of `dy` each output row reads: offsets `first .. first + taps - 1` from its phase row. */
  readonly first: number;
  readonly taps: number;
  /** `tap[r][t]`: the filter row phase `r` multiplies with `dy` row `j + first + t`, or -1. */
  readonly tap: number[][];
}

/**
 * Output row `h = s·j + r` (phase `r`) receives `dy[o]·W[k]` for `o·s + k = h + top`, so
 * `k ≡ r + top (mod s)` and `o = j + ⌊(r + top)/s⌋ - (k - ρ)/s` with `ρ = (r + top) mod s`.
 */
function axisPhases(stride: number, filterSize: number, top: number): AxisPhases {
  const offsets: Array<Array<{ offset: number; k: number }>> = [];
  for (let r = 0; r < stride; r++) {
    const rho = (r + top) % stride;
    const delta = Math.floor((r + top) / stride);
    const list: Array<{ offset: number; k: number }> = [];
    for (let k = rho; k < filterSize; k += stride) list.push({ offset: delta - (k - rho) / stride, k });
    offsets.push(list);
  }
  const all = offsets.flat().map((e) => e.offset);
  const first = Math.min(...all);
  const taps = Math.max(...all) - first + 1;
  const tap = offsets.map((list) => {
    const row = new Array<number>(taps).fill(-1);
    for (const { offset, k } of list) row[offset - first] = k;
    return row;
  });
  return { first, taps, tap };
}

/**
 * The input gradient of an undilated strided conv by sub-pixel convolution: for each output phase `(rH, rW)`, `dx[s·j + r] = Σ_t dy[j + first + t]·W[tap[r][t]]`
 * (per axis, see {@link axisPhases}), a stride-1 correlation of `dy` itself. One 'valid' conv2d
 * (explicit padding) with the filter `[tH, tW, Cout, sH·sW·Cin]` that stacks every phase's taps
 * (zeros where a phase has none) computes all phases for `⌈H/s⌉ × ⌈W/s⌉` blocks; reshape →
 * transpose → reshape interleaves them, and the rows and columns past `H`, `W` (when the size is
 * not a multiple of the stride) are sliced off. Exact: each `dx` value sums the same products as
 * cpu's kernel.
 */
function subPixelInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, strideHeight: sH, strideWidth: sW, filterHeight, filterWidth } = info;
  const rows = axisPhases(sH, filterHeight, info.padInfo.top);
  const cols = axisPhases(sW, filterWidth, info.padInfo.left);
  const phaseRows = Math.ceil(inHeight / sH);
  const phaseCols = Math.ceil(inWidth / sW);
  // Filter taps in the order [tH, tW, rH, rW] (each a `[Cout, Cin]` slab, -1 for none).
  const taps: number[] = [];
  for (let th = 0; th < rows.taps; th++) {
    for (let tw = 0; tw < cols.taps; tw++) {
      for (let rh = 0; rh < sH; rh++) {
        for (let rw = 0; rw < sW; rw++) {
          const kh = rows.tap[rh]![th]!;
          const kw = cols.tap[rw]![tw]!;
          taps.push(kh < 0 || kw < 0 ? -1 : kh * filterWidth + kw);
        }
      }
    }
  }
  const phases = sH * sW;
  const stacked = tf.reshape(selectTaps(filter, taps), [rows.taps * cols.taps, phases, outChannels, inChannels]);
  const combined = tf.reshape<tf.Rank.R4>(tf.transpose(stacked, [0, 2, 1, 3]), [rows.taps, cols.taps, outChannels, phases * inChannels]);
  const window = windowAsPadding(
    dy,
    { start: rows.first, length: phaseRows + rows.taps - 1 },
    { start: cols.first, length: phaseCols + cols.taps - 1 },
  );
  const allPhases = tf.conv2d(window.input, combined, 1, window.pad);
  const interleaved = tf.transpose(tf.reshape(allPhases, [batchSize * phaseRows, phaseCols, sH, sW * inChannels]), [0, 2, 1, 3]);
  const full = tf.reshape<tf.Rank.R4>(interleaved, [batchSize, phaseRows * sH, phaseCols * sW, inChannels]);
  if (phaseRows * sH === inHeight && phaseCols * sW === inWidth) return full;
  return tf.slice(full, [0, 0, 0, 0], [batchSize, inHeight, inWidth, inChannels]);
}

/**
 * `[taps.length, Cout, Cin]`: slab `i` is `W[tap]ᵀ` for `tap = taps[i]` (a flat `kh·kW + kw`
 * index), or zeros for -1. Computed as one small matrix product of a 0/1 selection matrix with the
 * filter (`[kH·kW, Cout·Cin]`): XNNPACK runs it, where wasm's Reverse and Gather kernels loop per
 * element, and it is exact (each output is one weight times 1, plus zeros).
 */
function selectTaps(filter: tf.Tensor4D, taps: readonly number[]): tf.Tensor3D {
  const [filterH, filterW, inChannels, outChannels] = filter.shape;
  const count = filterH * filterW;
  const selection = new Float32Array(taps.length * count);
  taps.forEach((tap, i) => {
    if (tap >= 0) selection[i * count + tap] = 1;
  });
  const perTap = tf.reshape<tf.Rank.R2>(tf.transpose(tf.reshape(filter, [count, inChannels, outChannels]), [0, 2, 1]), [count, outChannels * inChannels]);
  return tf.reshape(tf.matMul(tf.tensor2d(selection, [taps.length, count]), perTap), [taps.length, outChannels, inChannels]);
}

let fallback: tf.KernelFunc | undefined;

/** The kernel to run for what the composed one does not support (NCHW): the one it replaced. */
export function setConv2DBackpropInputFallback(kernelFunc: tf.KernelFunc | undefined): void {
  fallback = kernelFunc;
}
