import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, wasmTrainingKernels } from './index';

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
});
