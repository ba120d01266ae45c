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
 * The mean over the reduced block as one XNNPACK average pooling of `x` viewed as
 * `[outer, reduced, 1, inner]` with a `[reduced, 1]` window: no transpose, and every `inner`
 * column keeps to itself (a NaN or ±Inf stays in its own output, as with the built-in).
 */
function pooledMean(xInfo: tf.TensorInfo, plan: PooledReduction): tf.Tensor {
  const x = asTensor<tf.Tensor>(xInfo);
  const view = tf.reshape<tf.Rank.R4>(x, [plan.outer, plan.reduced, 1, plan.inner]);
  // The AvgPool kernel itself: the avgPool op would add a same-dtype Cast.
  const attrs: tf.AvgPoolAttrs = { filterSize: [plan.reduced, 1], strides: 1, pad: 'valid' };
  return tf.engine().runKernel(tf.AvgPool, { x: view }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

let sumFallback: tf.KernelFunc | undefined;
let meanFallback: tf.KernelFunc | undefined;

/**
 * `Sum` for the wasm backend. tfjs-backend-wasm 4.22 transposes the reduced axes innermost before
 * summing, so reducing a batch-norm activation `[B, H, W, C]` over `[0, 1, 2]` costs a full
 * transpose. A float32 reduction over one contiguous block of axes that is not innermost runs as
 * an average pooling (XNNPACK, no transpose) times the count instead, about 10× faster; every other
 * case goes to the kernel this one replaced.
 */
export function sum(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const xInfo = requireInput(tf.Sum, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(sumFallback, tf.Sum)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, sumFallback, tf.Sum, (pooled) => tf.mul(pooled, tf.scalar(plan.reduced)));
}

/** `Mean` for the wasm backend: as {@link sum}, without the final scaling. */
export function mean(args: KernelArgs): tf.TensorInfo {
  const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
  const xInfo = requireInput(tf.Mean, args.inputs, 'x');
  const plan = poolingPlan(xInfo, axis, keepDims);
  if (!plan) return builtIn(meanFallback, tf.Mean)(args) as tf.TensorInfo;
  return pooledOrBuiltIn(args, xInfo, plan, meanFallback, tf.Mean, (pooled) => pooled);
}

/**
 * XNNPACK's pooling clamps its output, which turns NaN into -Infinity. A -Infinity in the (small)
 * pooled result is therefore checked on the built-in kernel, which keeps NaN; reading it back is a
 * copy of the output, not a device sync, on wasm.
 */
function pooledOrBuiltIn(
  args: KernelArgs,
  xInfo: tf.TensorInfo,
  plan: PooledReduction,
  fallback: tf.KernelFunc | undefined,
  name: string,
  finish: (pooled: tf.Tensor) => tf.Tensor,
): tf.TensorInfo {
  const result = tf.tidy(() => tf.reshape(finish(pooledMean(xInfo, plan)), plan.outShape));
  if (!(result.dataSync() as Float32Array).includes(Number.NEGATIVE_INFINITY)) return result;
  result.dispose();
  return builtIn(fallback, name)(args) as tf.TensorInfo;
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
