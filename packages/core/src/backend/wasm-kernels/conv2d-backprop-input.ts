import * as tf from '@tensorflow/tfjs-core';
import { asTensor, expectShape, kernelError, pair, requireInput, type KernelArgs } from './kernel-util';
import { dilateSpatial, spatialWindow } from './spatial';

const name = tf.Conv2DBackpropInput;

/**
 * `Conv2DBackpropInput` (the input gradient of `conv2d`, also `conv2dTranspose`) for the wasm
 * backend, composed from wasm's XNNPACK Conv2D, PadV2/Slice, Reshape, Reverse and Transpose. It
 * replaces tfjs-backend-wasm 4.22's own kernel, a scalar C++ loop (about 1 GFLOP/s).
 *
 * `dx[b,h,w,ci] = Σ_{kh,kw,co} dyₛ[b, h + top - kh·d, w + left - kw·d, co] · W[kh,kw,ci,co]`, where
 * `dyₛ` is `dy` with `s - 1` zeros inserted after each row/column. Padding `dyₛ` by
 * `(kH-1)·d - top` rows in front (cropping if negative) and to `H + (kH-1)·d` rows in total makes
 * that a stride-1 'valid' conv2d with dilation `d` and the filter reversed spatially and with its
 * channel axes swapped (`[kH, kW, Cout, Cin]`). tfjs' kernel has no `dilations` attribute (its
 * conv2d gradient rejects dilations); TensorFlow's does, so a `dilations` attribute is honoured,
 * with any strides (the composed conv always runs at stride 1).
 *
 * `dataFormat: 'NCHW'` is handed to `fallback`: the kernel this one displaced, when there was one.
 */
export function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const dilations = (attrs as { dilations?: number | [number, number] }).dilations;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    if (fallback) return fallback(args) as tf.TensorInfo;
    throw kernelError(name, `dataFormat '${dataFormat}' is not supported (wasm convolutions are NHWC only)`);
  }
  const [strideH, strideW] = pair(strides);
  const [dilationH, dilationW] = pair(dilations);
  const dyInfo = requireInput(name, inputs, 'dy');
  const filterInfo = requireInput(name, inputs, 'filter');
  const filterShape = filterInfo.shape as [number, number, number, number];
  if (filterShape.length !== 4) throw kernelError(name, `filter must be rank 4, got rank ${filterShape.length}`);
  if (inputShape.length !== 4 || filterShape[2] !== inputShape[3]) {
    throw kernelError(name, `filter shape [${filterShape.join(', ')}] does not match inputShape [${inputShape.join(', ')}]`);
  }
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, [dilationH, dilationW], pad, dimRoundingMode);
  expectShape(name, 'dy', dyInfo.shape, info.outShape);
  const [, height, width] = inputShape;
  const [filterH, filterW] = filterShape;
  const spanH = (filterH - 1) * dilationH;
  const spanW = (filterW - 1) * dilationW;

  return tf.tidy(() => {
    const dy = asTensor<tf.Tensor4D>(dyInfo);
    const filter = asTensor<tf.Tensor4D>(filterInfo);
    if (dy.size === 0 || filter.size === 0) return tf.zeros(inputShape);
    const padded = spatialWindow(
      dilateSpatial(dy, strideH, strideW),
      { start: info.padInfo.top - spanH, length: height + spanH },
      { start: info.padInfo.left - spanW, length: width + spanW },
    );
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded, flipped, 1, 'valid', 'NHWC', [dilationH, dilationW]);
  });
}

let fallback: tf.KernelFunc | undefined;

/** The kernel to run for what the composed one does not support (NCHW): the one it replaced. */
export function setConv2DBackpropInputFallback(kernelFunc: tf.KernelFunc | undefined): void {
  fallback = kernelFunc;
}
