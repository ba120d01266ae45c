import * as tf from '@tensorflow/tfjs-core';
import { asTensor, kernelError, requireInput, type KernelArgs } from './kernel-util';

let castFallback: tf.KernelFunc | undefined;

/**
 * `Cast` for the wasm backend. A cast to the tensor's own dtype (tfjs' ReLU gradient casts
 * `step(x)`, already float32, to float32 on every layer of every backward pass) returns a view of
 * the same buffer through wasm's Reshape kernel, as core's `Identity` does, where tfjs-backend-wasm
 * 4.22 copies it. Every other cast goes to the kernel this one replaced.
 */
export function cast(args: KernelArgs): tf.TensorInfo {
  const xInfo = requireInput(tf.Cast, args.inputs, 'x');
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (xInfo.dtype === dtype && dtype !== 'string' && dtype !== 'complex64') return tf.tidy(() => tf.reshape(asTensor(xInfo), xInfo.shape));
  if (!castFallback) throw kernelError(tf.Cast, `no built-in kernel to cast ${xInfo.dtype} to ${dtype}`);
  return castFallback(args) as tf.TensorInfo;
}

/** The kernel to run for a cast to another dtype: the one {@link cast} replaced. */
export function setCastFallback(kernelFunc: tf.KernelFunc | undefined): void {
  castFallback = kernelFunc;
}
