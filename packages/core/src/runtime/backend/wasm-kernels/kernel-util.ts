import * as tf from '@tensorflow/tfjs-core';

/** The argument tfjs passes to a registered kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * The input as a Tensor. Ops hand kernels Tensors already; a bare TensorInfo (a kernel calling
 * another directly) is wrapped, so call this inside the kernel's `tf.tidy` to release the wrapper.
 */
export function asTensor<T extends tf.Tensor>(info: tf.TensorInfo): T {
  return (info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info)) as T;
}

/** The named kernel input, or a clear error when the caller left it out. */
export function requireInput(kernelName: string, inputs: tf.NamedTensorInfoMap, key: string): tf.TensorInfo {
  const info = inputs[key];
  if (info === undefined) throw kernelError(kernelName, `missing input '${key}'`);
  return info;
}

/** An error that names the kernel, so an unsupported attribute is traceable to core's wasm kernels. */
export function kernelError(kernelName: string, problem: string): Error {
  return new Error(`${kernelName} (wasm kernel composed by @ausam/core): ${problem}`);
}

/** `[h, w]` from tfjs' `number | [number, number]` stride/dilation attributes. */
export function pair(value: number | readonly number[] | undefined, fallback = 1): [number, number] {
  if (value === undefined || value === null) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** Throws unless `actual` equals `expected` (shapes of kernel inputs that tfjs does not check). */
export function expectShape(kernelName: string, what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw kernelError(kernelName, `${what} has shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

/** `dy` and a rank-4 `filter` whose input-channel axis matches `inputShape`: the two input-gradient kernels' inputs. */
export function requireInputGradientOperands(
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  inputShape: readonly number[],
): { dyInfo: tf.TensorInfo; filterInfo: tf.TensorInfo; filterShape: [number, number, number, number] } {
  const dyInfo = requireInput(kernelName, inputs, 'dy');
  const filterInfo = requireInput(kernelName, inputs, 'filter');
  const filterShape = filterInfo.shape as [number, number, number, number];
  if (filterShape.length !== 4) throw kernelError(kernelName, `filter must be rank 4, got rank ${filterShape.length}`);
  if (inputShape.length !== 4 || filterShape[2] !== inputShape[3]) {
    throw kernelError(kernelName, `filter shape [${filterShape.join(', ')}] does not match inputShape [${inputShape.join(', ')}]`);
  }
  return { dyInfo, filterInfo, filterShape };
}

/** The part of tfjs-backend-wasm's backend used by {@link float32View} and {@link float32Tensor}. */
interface HeapBackend {
  typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array;
  makeOutput?: (shape: number[], dtype: 'float32') => tf.TensorInfo;
}

/**
 * A float32 tensor's values: on the wasm backend a view of its bytes in the wasm heap (no copy;
 * read it before any kernel runs, as the heap may grow and move), elsewhere `dataSync()`'s copy.
 * `dataSync` on wasm allocates and copies the whole tensor, which cost as much as the native
 * filter-gradient kernel itself on resnet-small's first layer.
 */
export function float32View(tensor: tf.Tensor): Float32Array {
  if (tensor.dtype !== 'float32') throw new TypeError(`float32View: expected a float32 tensor, found ${tensor.dtype}`);
  const backend = tf.backend() as unknown as HeapBackend;
  if (typeof backend.typedArrayFromHeap === 'function') return backend.typedArrayFromHeap(tensor);
  return tensor.dataSync() as Float32Array;
}

/**
 * A new float32 tensor holding a copy of `values`: on the wasm backend written straight into the
 * heap (one copy), elsewhere through `tf.tensor`. `values` may be a view another kernel reuses.
 */
export function float32Tensor<R extends tf.Rank>(values: Float32Array, shape: number[]): tf.Tensor<R> {
  const backend = tf.backend() as unknown as HeapBackend;
  if (typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') return tf.tensor(values.slice(), shape) as unknown as tf.Tensor<R>;
  const info = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(info).set(values);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}
