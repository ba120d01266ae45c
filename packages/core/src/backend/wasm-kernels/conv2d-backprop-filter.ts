import * as tf from '@tensorflow/tfjs-core';
import { asTensor, expectShape, kernelError, requireInput, type KernelArgs } from './kernel-util';
import { spatialWindow } from './spatial';

const name = tf.Conv2DBackpropFilter;

/**
 * `Conv2DBackpropFilter` (the filter gradient of `conv2d`) for the wasm backend, composed from
 * wasm's Conv2D, PadV2/Slice and Transpose.
 *
 * With the forward padding made explicit (`xw`: the exact `(outH-1)·s + (kH-1)·d + 1` input rows
 * the forward pass read, zero-filled or cropped per `computeConv2DInfo`),
 * `dW[kh,kw,ci,co] = Σ_{b,oh,ow} xw[b, kh·d + oh·s, kw·d + ow·s, ci] · dy[b,oh,ow,co]`,
 * which is a 'valid' conv2d of `xwᵀ = [Cin, H', W', B]` (channels as batch, batch as channels) with
 * `dyᵀ = [outH, outW, B, Cout]` as the filter, stride `d` and dilation `s` (the forward's swapped).
 * Its `[Cin, kH, kW, Cout]` result transposes back to `[kH, kW, Cin, Cout]`. The forward dilation
 * is always 1 here (the kernel has no dilations attribute), so the composed conv is always legal.
 * Only `dataFormat: 'NHWC'` is supported, like wasm's own Conv2D.
 */
export function conv2DBackpropFilter({ inputs, attrs }: KernelArgs): tf.Tensor {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw kernelError(name, `dataFormat '${dataFormat}' is not supported (wasm convolutions are NHWC only)`);
  }
  const xInfo = requireInput(name, inputs, 'x');
  const dyInfo = requireInput(name, inputs, 'dy');
  const xShape = xInfo.shape as [number, number, number, number];
  if (xShape.length !== 4) throw kernelError(name, `x must be rank 4 (NHWC), got rank ${xShape.length}`);
  if (filterShape[2] !== xShape[3]) {
    throw kernelError(name, `filterShape [${filterShape.join(', ')}] does not match the ${xShape[3]} input channels`);
  }
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  expectShape(name, 'dy', dyInfo.shape, info.outShape);

  return tf.tidy(() => {
    const x = asTensor<tf.Tensor4D>(xInfo);
    const dy = asTensor<tf.Tensor4D>(dyInfo);
    if (x.size === 0 || dy.size === 0) return tf.zeros(filterShape);
    const window = spatialWindow(
      x,
      { start: -info.padInfo.top, length: (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight },
      { start: -info.padInfo.left, length: (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth },
    );
    const grad = tf.conv2d(
      tf.transpose(window, [3, 1, 2, 0]),
      tf.transpose(dy, [1, 2, 0, 3]),
      [info.dilationHeight, info.dilationWidth],
      'valid',
      'NHWC',
      [info.strideHeight, info.strideWidth],
    );
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
}
