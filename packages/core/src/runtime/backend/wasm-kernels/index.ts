import * as tf from '@tensorflow/tfjs-core';
import { cast, setCastFallback } from './cast';
import { conv2D, setConv2DFallback } from './conv2d';
import { conv2DBackpropFilter } from './conv2d-backprop-filter';
import { conv2DBackpropInput, setConv2DBackpropInputFallback } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilter } from './depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInput } from './depthwise-backprop-input';
import { identity, setIdentityFallback } from './identity';
import { mean, setMeanFallback, setSumFallback, sum } from './reductions';
import { unsortedSegmentSum } from './unsorted-segment-sum';

/** The kernels core adds to tfjs-backend-wasm 4.22, which lacks them; each is composed of wasm kernels. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropInput },
  { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum },
];

/**
 * Kernels core registers for wasm in place of tfjs-backend-wasm 4.22's own, because the composed
 * ones are faster. The displaced kernel stays reachable as the fallback for the cases the composed
 * one leaves to it (`setFallback`), and its `setupFunc` keeps running when wasm is activated.
 */
export const wasmKernelOverrides: ReadonlyArray<tf.KernelConfig & { setFallback: (kernelFunc: tf.KernelFunc | undefined) => void }> = [
  { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: conv2D, setFallback: setConv2DFallback },
  { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2DBackpropInput, setFallback: setConv2DBackpropInputFallback },
  { kernelName: tf.Sum, backendName: 'wasm', kernelFunc: sum, setFallback: setSumFallback },
  { kernelName: tf.Mean, backendName: 'wasm', kernelFunc: mean, setFallback: setMeanFallback },
  { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity, setFallback: setIdentityFallback },
  { kernelName: tf.Cast, backendName: 'wasm', kernelFunc: cast, setFallback: setCastFallback },
];

/** The wasm kernels the overrides displaced, by kernel name (empty until the first registration). */
export const displacedWasmKernels = new Map<string, tf.KernelConfig>();

/**
 * Registers core's wasm training kernels. Idempotent, without duplicate-registration warnings:
 * - the gradient kernels tfjs-backend-wasm lacks (conv2d and depthwise filter gradients, the
 *   depthwise input gradient, and the UnsortedSegmentSum behind gather's gradient); a kernel
 *   already registered for wasm (by an earlier call or a newer tfjs-backend-wasm) is kept;
 * - faster replacements for existing wasm kernels (`wasmKernelOverrides`: `Conv2D`, `Conv2DBackpropInput`,
 *   `Sum`, `Mean`, `Identity`, `Cast`): the registered kernel is unregistered and core's takes its place,
 *   unless core's already is; the displaced one (`displacedWasmKernels`) remains the fallback for
 *   the cases core's leaves to it.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  for (const { setFallback, ...config } of wasmKernelOverrides) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) {
      displacedWasmKernels.set(config.kernelName, current);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    setFallback(current?.kernelFunc);
    // The displaced kernel's setup (e.g. binding its wasm function) must still run for the fallback.
    tf.registerKernel({ ...config, setupFunc: current?.setupFunc });
  }
}
