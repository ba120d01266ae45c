import * as tf from '@tensorflow/tfjs-core';
import type { KernelHeap, WasmMemory } from './native/kernel-heap';

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

/** The part of tfjs-backend-wasm's backend used by {@link float32View}, {@link tfjsHeap} and {@link float32Output}. */
interface HeapBackend {
  typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array;
  makeOutput?: (shape: number[], dtype: 'float32') => tf.TensorInfo;
  wasm?: { asm?: { memory?: WasmMemory }; _malloc?: (bytes: number) => number; _free?: (at: number) => void };
}

/** Whether `buffer` is a SharedArrayBuffer (by its tag: jest's realms have their own constructors). */
function isShared(buffer: ArrayBuffer): boolean {
  return Object.prototype.toString.call(buffer) !== '[object ArrayBuffer]';
}

/**
 * The active wasm backend's heap, for core's native kernels to import (they then read tensors in
 * place and write outputs straight into them), or null: another backend, or tfjs' threaded build,
 * whose memory is shared (a `SharedArrayBuffer`) and not exported where this looks.
 */
export function tfjsHeap(): KernelHeap | null {
  const wasm = (tf.backend() as unknown as HeapBackend).wasm;
  const memory = wasm?.asm?.memory;
  const { _malloc: malloc, _free: free } = wasm ?? {};
  if (!memory || typeof malloc !== 'function' || typeof free !== 'function' || isShared(memory.buffer)) return null;
  return { memory, allocate: (bytes) => malloc(bytes), release: (at) => free(at) };
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes into `out`. On the wasm backend the
 * tensor is allocated first and `out` is its bytes in the heap, with that heap passed along, so
 * `fill` takes its input views afterwards (the allocation may move the heap) and a native kernel
 * can write the result in place; elsewhere `out` is a new array and `heap` undefined.
 */
export function float32Output<R extends tf.Rank>(shape: number[], fill: (out: Float32Array, heap: KernelHeap | undefined) => void): tf.Tensor<R> {
  const backend = tf.backend() as unknown as HeapBackend;
  const heap = tfjsHeap();
  if (!heap || typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') {
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    fill(out, undefined);
    return tf.tensor(out, shape) as unknown as tf.Tensor<R>;
  }
  const info = backend.makeOutput(shape, 'float32');
  const tensor = tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
  try {
    fill(backend.typedArrayFromHeap(info), heap);
  } catch (error) {
    tensor.dispose();
    throw error;
  }
  return tensor;
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
