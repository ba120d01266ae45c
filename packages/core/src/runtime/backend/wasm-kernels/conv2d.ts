import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from './native/conv-geometry';
import { asTensor, float32Output, float32View, kernelError, pair, requireInput, tfjsHeap, type KernelArgs } from './kernel-util';
import { nativeVariant } from './native/build-variant';
import { nativeConvForward, nativeConvForwardInUse } from './native/native-conv-forward';

const name = tf.Conv2D;

let fallback: tf.KernelFunc | undefined;

/**
 * `Conv2D` (the forward convolution) for the wasm backend. Undilated NHWC convs with a filter
 * larger than 1×1 and at least 8 input and 8 output channels run core's wasm SIMD kernel (`native/conv-forward.c`), which reads
 * `x` and the filter in place in the wasm heap and writes into the output tensor: about 0.8× the
 * time of tfjs-backend-wasm's XNNPACK kernel on ResNet-20's 3×3 layers (docs/decisions.md). Its
 * sums run in the order of XNNPACK's (taps, then input channels), so values match it, bit for
 * bit on every case compared. Every other case (1×1 filters, which XNNPACK runs as a matrix
 * product as fast or faster; an RGB or grey stem; dilations; `NCHW`; a runtime without wasm SIMD;
 * tfjs' threaded build, whose XNNPACK kernel uses the thread pool while the native one would run on
 * one thread with its operands copied out of the shared memory) goes to `fallback`: the kernel this
 * one displaced. The plain SIMD build gives XNNPACK's values, so that route changes no result; the
 * Relaxed SIMD build rounds each multiply-add once, so where it runs the native kernel serves the
 * threaded build too, and a run's values do not depend on the thread count.
 */
export function conv2D(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs } = args;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
  const xInfo = requireInput(name, inputs, 'x');
  const filterInfo = requireInput(name, inputs, 'filter');
  const [dilationH, dilationW] = pair(dilations);
  const xShape = xInfo.shape as [number, number, number, number];
  const filterShape = filterInfo.shape as [number, number, number, number];
  const native =
    nativeConvForwardInUse() &&
    (tfjsHeap() !== null || nativeVariant() === 'relaxed-simd') &&
    (dataFormat === undefined || dataFormat === 'NHWC') &&
    dilationH === 1 &&
    dilationW === 1 &&
    xInfo.dtype === 'float32' &&
    filterInfo.dtype === 'float32' &&
    xShape.length === 4 &&
    filterShape.length === 4 &&
    filterShape[2] === xShape[3] &&
    xShape[3] >= 8 &&
    filterShape[3] >= 8 &&
    filterShape[0] * filterShape[1] > 1;
  if (!native) {
    if (fallback) return fallback(args) as tf.TensorInfo;
    throw kernelError(name, 'no built-in kernel to run this case (1×1, dilated, NCHW, fewer than 8 channels or a shared heap)');
  }
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  return tf.tidy(() => {
    const x = asTensor<tf.Tensor4D>(xInfo);
    const filter = asTensor<tf.Tensor4D>(filterInfo);
    if (x.size === 0 || info.outHeight * info.outWidth === 0) return tf.zeros(info.outShape);
    return float32Output<tf.Rank.R4>(info.outShape, (out, heap) => nativeConvForward(float32View(x), float32View(filter), convGeometry(info), heap, out));
  });
}

/** The kernel to run for what the native one does not cover: the one it replaced. */
export function setConv2DFallback(kernelFunc: tf.KernelFunc | undefined): void {
  fallback = kernelFunc;
}
