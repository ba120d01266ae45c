import * as tf from '@tensorflow/tfjs-core';
import { conv2DBackpropFilter } from './conv2d-backprop-filter';
import { depthwiseConv2dNativeBackpropFilter } from './depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInput } from './depthwise-backprop-input';
import { unsortedSegmentSum } from './unsorted-segment-sum';

/** The kernels core adds to tfjs-backend-wasm 4.22, which lacks them; each is composed of wasm kernels. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropInput },
  { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum },
];

/**
 * Registers the gradient kernels tfjs-backend-wasm lacks (conv2d and depthwise filter gradients,
 * the depthwise input gradient, and the UnsortedSegmentSum behind gather's gradient). Idempotent:
 * a kernel already registered for wasm (by an earlier call or a newer tfjs-backend-wasm) is kept.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
}
