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

/**
 * Rows of the reduced block that one pooling window averages: about √reduced, so that each float32
 * window mean adds few values in sequence and the float64 sum of the windows adds few means.
 */
export function windowRows(reduced: number): number {
  return Math.max(1, Math.round(Math.sqrt(reduced)));
}

/** The part of tfjs-backend-wasm's backend the reductions use: heap views and heap outputs. */
interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/**
 * The sums over the reduced block, accumulated in float64: one XNNPACK average pooling of `x`
 * viewed as `[outer, reduced, 1, inner]` with a `[w, 1]` window and stride (`w` = {@link windowRows})
 * gives the float32 mean of each run of `w` rows of every `inner` column, without a transpose;
 * those means times `w`, and the `reduced mod w` rows the windows leave, are added in float64.
 * XNNPACK's pooling adds its window's values in float32 one after the other: one window over the
 * whole block, as in a single pooling, loses about √reduced·2⁻²⁴ of the sum, which made BatchNorm
 * means over 100k values differ from cpu's (float64 sums) by 1e-6 σ, enough to flip a ReLU (see
 * docs/backends.md). A NaN stays in its own column (XNNPACK turns it into -Infinity, which
 * {@link pooledOrBuiltIn} hands to the built-in kernel).
 */
function pooledSums(xInfo: tf.TensorInfo, plan: PooledReduction): Float64Array {
  const { outer, reduced, inner } = plan;
  const rows = windowRows(reduced);
  const windows = Math.floor(reduced / rows);
  const backend = tf.backend() as unknown as HeapBackend;
  const pooled = tf.tidy(() => {
    const view = tf.reshape<tf.Rank.R4>(asTensor<tf.Tensor>(xInfo), [outer, reduced, 1, inner]);
    // The AvgPool kernel itself: the avgPool op would add a same-dtype Cast.
    const attrs: tf.AvgPoolAttrs = { filterSize: [rows, 1], strides: [rows, 1], pad: 'valid' };
    return tf.engine().runKernel(tf.AvgPool, { x: view }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
  // Views of the heap: read before any allocation, which may move it.
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
 * an average pooling (XNNPACK, no transpose) whose window means are added in float64 instead
 * ({@link pooledSums}), about 10× faster and as accurate as cpu's float64 sums; every other case
 * goes to the kernel this one replaced.
 */
export function sum(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const xInfo = requireInput(tf.Sum, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(sumFallback, tf.Sum)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, sumFallback, tf.Sum, 1);
}

/** `Mean` for the wasm backend: as {@link sum}, the float64 sums divided by the count. */
export function mean(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
  const xInfo = requireInput(tf.Mean, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(meanFallback, tf.Mean)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, meanFallback, tf.Mean, plan.reduced);
}

/**
 * The pooled sums divided by `divisor`, rounded once to float32. XNNPACK's pooling clamps its
 * output, which turns NaN into -Infinity: a result with -Infinity or NaN is therefore computed by
 * the built-in kernel, which keeps NaN in its column.
 */
function pooledOrBuiltIn(
  args: KernelArgs,
  xInfo: tf.TensorInfo,
  plan: PooledReduction,
  fallback: tf.KernelFunc | undefined,
  name: string,
  divisor: number,
): tf.TensorInfo {
  const sums = pooledSums(xInfo, plan);
  const values = Float32Array.from(sums, (s) => s / divisor);
  if (values.some((v) => Number.isNaN(v) || v === Number.NEGATIVE_INFINITY)) return builtIn(fallback, name)(args) as tf.TensorInfo;
  const backend = tf.backend() as unknown as HeapBackend;
  const out = backend.makeOutput(plan.outShape, 'float32');
  backend.typedArrayFromHeap(out).set(values);
  return out;
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
