import * as tf from '@tensorflow/tfjs-core';
import { asTensor, requireInput, type KernelArgs } from './kernel-util';

/** Below this many elements the built-in kernel's fixed cost is lower than a pooling call's. */
const MIN_POOLED_SIZE = 2048;

/** A reduction over a contiguous block of axes that is not innermost: `[outer, reduced, inner]`. */
interface PooledReduction {
  readonly outer: number;
  readonly reduced: number;
  readonly inner: number;
  readonly outShape: number[];
}

/**
 * How `Sum`/`Mean` of `x` over `axis` maps onto average pooling, or undefined when the built-in
 * kernel is the better (or the only correct) choice: other dtypes than float32, small tensors,
 * axes that are not one contiguous block, and reductions over the innermost axis, which the
 * built-in does without a transpose.
 */
function poolingPlan(x: tf.TensorInfo, axis: number | number[], keepDims: boolean): PooledReduction | undefined {
  if (x.dtype !== 'float32') return undefined;
  const shape = x.shape;
  const size = tf.util.sizeFromShape(shape);
  if (size < MIN_POOLED_SIZE) return undefined;
  const axes = [...tf.util.parseAxisParam(axis, shape)].sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) return undefined;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const outer = tf.util.sizeFromShape(shape.slice(0, first));
  const reduced = tf.util.sizeFromShape(shape.slice(first, last + 1));
  const inner = tf.util.sizeFromShape(shape.slice(last + 1));
  if (inner === 1 || reduced === 1) return undefined;
  const kept = shape.filter((_, i) => i < first || i > last);
  const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return { outer, reduced, inner, outShape };
}

/** Up to this many reduced rows, one pooling window adds them all (the float32 error stays ~1e-7). */
const SINGLE_WINDOW_ROWS = 256;

/**
 * Rows of the reduced block that one pooling window averages: all of them for short blocks, else
 * about √reduced, so that each float32 window mean adds few values in sequence and the float64 sum
 * of the window means adds few terms.
 */
function windowRows(reduced: number): number {
  return reduced <= SINGLE_WINDOW_ROWS ? reduced : Math.round(Math.sqrt(reduced));
}

/** The part of tfjs-backend-wasm's backend the reductions use: heap views and heap outputs. */
interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * One XNNPACK average pooling of `x` viewed as `[outer, reduced, 1, inner]` with a `[rows, 1]`
 * window and stride: the float32 mean of each run of `rows` rows of every `inner` column, without a
 * transpose; `[outer, ⌊reduced/rows⌋, 1, inner]`. Every column keeps to itself (a NaN or ±Inf stays
 * in its own output, though XNNPACK's output clamp turns NaN into -Infinity).
 */
function windowMeans(xInfo: tf.TensorInfo, plan: PooledReduction, rows: number): tf.Tensor {
  return tf.tidy(() => {
    const view = tf.reshape<tf.Rank.R4>(asTensor<tf.Tensor>(xInfo), [plan.outer, plan.reduced, 1, plan.inner]);
    // The AvgPool kernel itself: the avgPool op would add a same-dtype Cast.
    const attrs: tf.AvgPoolAttrs = { filterSize: [rows, 1], strides: [rows, 1], pad: 'valid' };
    return tf.engine().runKernel(tf.AvgPool, { x: view }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
}

/**
 * The sums over a long reduced block, accumulated in float64: the {@link windowMeans} of about
 * √reduced rows each, times the window, plus the `reduced mod rows` rows the windows leave.
 * XNNPACK's pooling adds a window's values in float32 one after another, so a single window over
 * 100k values is off by several 1e-6 of a one-signed sum: enough, in a BatchNorm mean, to move a ReLU's
 * input across zero and change a gradient by 1e-3 (docs/decisions.md, "Numerics of wasm reductions").
 */
function float64Sums(xInfo: tf.TensorInfo, plan: PooledReduction, rows: number): Float64Array {
  const { outer, reduced, inner } = plan;
  const windows = Math.floor(reduced / rows);
  const backend = tf.backend() as unknown as HeapBackend;
  const pooled = windowMeans(xInfo, plan, rows);
  // Views of the heap: read before anything allocates, which may move it.
  const means = backend.typedArrayFromHeap(pooled);
  const x = backend.typedArrayFromHeap(xInfo);
  // XNNPACK scales a window's sum by the float32 1/rows: dividing by that same factor undoes it.
  const scale = Math.fround(1 / rows);
  const sums = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const out = o * inner;
    for (let k = 0; k < windows; k++) {
      const at = (o * windows + k) * inner;
      for (let j = 0; j < inner; j++) sums[out + j] += means[at + j]! / scale;
    }
    for (let r = windows * rows; r < reduced; r++) {
      const at = (o * reduced + r) * inner;
      for (let j = 0; j < inner; j++) sums[out + j] += x[at + j]!;
    }
  }
  pooled.dispose();
  return sums;
}

let sumFallback: tf.KernelFunc | undefined;
let meanFallback: tf.KernelFunc | undefined;

/**
 * `Sum` for the wasm backend. tfjs-backend-wasm 4.22 transposes the reduced axes innermost before
 * summing, so reducing a batch-norm activation `[B, H, W, C]` over `[0, 1, 2]` costs a full
 * transpose. A float32 reduction over one contiguous block of axes that is not innermost runs as
 * an average pooling instead (XNNPACK, no transpose; about 10× faster), whose window means are
 * added in float64 when the block is long ({@link float64Sums}); every other case goes to the
 * kernel this one replaced.
 */
export function sum(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const xInfo = requireInput(tf.Sum, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(sumFallback, tf.Sum)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, sumFallback, tf.Sum, 'sum');
}

/** `Mean` for the wasm backend: as {@link sum}, divided by the count. */
export function mean(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
  const xInfo = requireInput(tf.Mean, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(meanFallback, tf.Mean)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, meanFallback, tf.Mean, 'mean');
}

/**
 * The pooled sum or mean, rounded once to float32: one window's mean (times the count for a sum)
 * for a short block, {@link float64Sums} for a long one. XNNPACK's pooling turns NaN into
 * -Infinity, so a result with -Infinity or NaN is computed by the built-in kernel instead, which
 * keeps NaN in its column; reading the (small) result back is a copy, not a device sync, on wasm.
 */
function pooledOrBuiltIn(
  args: KernelArgs,
  xInfo: tf.TensorInfo,
  plan: PooledReduction,
  fallback: tf.KernelFunc | undefined,
  name: string,
  op: 'sum' | 'mean',
): tf.TensorInfo {
  const rows = windowRows(plan.reduced);
  const backend = tf.backend() as unknown as HeapBackend;
  let result: tf.TensorInfo;
  if (rows === plan.reduced) {
    result = tf.tidy(() => {
      const means = windowMeans(xInfo, plan, rows);
      return tf.reshape(op === 'sum' ? tf.mul(means, tf.scalar(plan.reduced)) : means, plan.outShape);
    });
  } else {
    const sums = float64Sums(xInfo, plan, rows);
    const divisor = op === 'sum' ? 1 : plan.reduced;
    result = backend.makeOutput(plan.outShape, 'float32');
    const values = backend.typedArrayFromHeap(result);
    for (let i = 0; i < sums.length; i++) values[i] = sums[i]! / divisor;
  }
  if (!hasNaNOrMinusInfinity(backend.typedArrayFromHeap(result))) return result;
  if (result instanceof tf.Tensor) result.dispose();
  else backend.disposeData(result.dataId);
  return builtIn(fallback, name)(args) as tf.TensorInfo;
}

function hasNaNOrMinusInfinity(values: Float32Array): boolean {
  // NaN fails the comparison too.
  for (let i = 0; i < values.length; i++) if (!(values[i]! > Number.NEGATIVE_INFINITY)) return true;
  return false;
}

function builtIn(kernelFunc: tf.KernelFunc | undefined, name: string): tf.KernelFunc {
  if (!kernelFunc) throw new Error(`${name} (wasm kernel composed by @ausam/core): no built-in kernel to fall back to`);
  return kernelFunc;
}

export function setSumFallback(kernelFunc: tf.KernelFunc | undefined): void {
  sumFallback = kernelFunc;
}

export function setMeanFallback(kernelFunc: tf.KernelFunc | undefined): void {
  meanFallback = kernelFunc;
}
