import * as tf from '@tensorflow/tfjs-core';
import { asTensor, requireInput, type KernelArgs } from './kernel-util';

let identityFallback: tf.KernelFunc | undefined;

/**
 * `Identity` (behind `tf.clone`, and behind the copies tfjs' tape keeps of every input a gradient
 * needs) for the wasm backend. tfjs-backend-wasm 4.22 copies the whole buffer; tensors are
 * immutable, so this returns a view of the same buffer through wasm's Reshape kernel (reference
 * counted, as tfjs-backend-cpu's Identity and every wasm Reshape already do). Strings go to the
 * kernel this one replaced.
 */
export function identity(args: KernelArgs): tf.TensorInfo {
  const xInfo = requireInput(tf.Identity, args.inputs, 'x');
  if (xInfo.dtype === 'string') {
    if (!identityFallback) throw new Error('Identity (wasm kernel composed by @ausam/core): no built-in kernel for strings');
    return identityFallback(args) as tf.TensorInfo;
  }
  return tf.tidy(() => tf.reshape(asTensor(xInfo), xInfo.shape));
}

export function setIdentityFallback(kernelFunc: tf.KernelFunc | undefined): void {
  identityFallback = kernelFunc;
}
