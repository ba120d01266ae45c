import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { displacedWasmKernels, registerWasmTrainingKernels, wasmKernelOverrides, wasmTrainingKernels } from './index';

describe('registerWasmTrainingKernels', () => {
  const names = [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.UnsortedSegmentSum];

  it('registers the four kernels wasm lacks, once, without duplicate-registration warnings', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      registerWasmTrainingKernels();
      registerWasmTrainingKernels();
      for (const name of names) {
        expect(tf.getKernel(name, 'wasm')?.kernelFunc).toBe(wasmTrainingKernels.find((k) => k.kernelName === name)!.kernelFunc);
      }
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps a kernel that is already registered for wasm', () => {
    const ours = wasmTrainingKernels.find((k) => k.kernelName === tf.UnsortedSegmentSum)!;
    const theirs = () => ({ dataId: {}, shape: [], dtype: 'float32' as const });
    tf.unregisterKernel(tf.UnsortedSegmentSum, 'wasm');
    tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: theirs });
    try {
      registerWasmTrainingKernels();
      expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')?.kernelFunc).toBe(theirs);
    } finally {
      tf.unregisterKernel(tf.UnsortedSegmentSum, 'wasm');
      tf.registerKernel(ours);
    }
  });

  it.each(wasmKernelOverrides.map((k) => [k.kernelName, k] as const))(
    'replaces wasm\'s own %s, once, keeping the built-in as the displaced kernel',
    (kernelName, ours) => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        registerWasmTrainingKernels();
        registerWasmTrainingKernels();
        const builtIn = displacedWasmKernels.get(kernelName);
        expect(builtIn?.kernelFunc).toBeDefined();
        expect(builtIn?.kernelFunc).not.toBe(ours.kernelFunc);
        expect(tf.getKernel(kernelName, 'wasm')?.kernelFunc).toBe(ours.kernelFunc);
        // The built-in's setup (binding its wasm function, used as the fallback) still runs on activation.
        expect(tf.getKernel(kernelName, 'wasm')?.setupFunc).toBe(builtIn!.setupFunc);

        // Whoever restores the built-in gets it replaced again on the next registration.
        tf.unregisterKernel(kernelName, 'wasm');
        tf.registerKernel(builtIn!);
        registerWasmTrainingKernels();
        expect(tf.getKernel(kernelName, 'wasm')?.kernelFunc).toBe(ours.kernelFunc);
        expect(displacedWasmKernels.get(kernelName)).toBe(builtIn);
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    },
  );
});
