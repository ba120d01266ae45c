import * as tf from '@tensorflow/tfjs-core';
import { asTensor, expectShape, kernelError, pair, requireInput, type KernelArgs } from './kernel-util';
import { spatialWindow } from './spatial';

const name = tf.DepthwiseConv2dNativeBackpropFilter;

/**
 * `DepthwiseConv2dNativeBackpropFilter` (the filter gradient of `depthwiseConv2d`) for the wasm
 * backend, composed from wasm's DepthwiseConv2dNative, PadV2/Slice, Transpose, Reshape and Sum.
 *
 * With the forward padding made explicit (`xw`, see {@link spatialWindow}),
 * `dW[kh,kw,c,m] = Σ_{b,oh,ow} xw[b, kh·d + oh·s, kw·d + ow·s, c] · dy[b,oh,ow,c·M+m]`.
 * The filter differs per image, so batch and channels fold into the channels of one image:
 * `xw → [1, H', W', B·C]`, `dy → [outH, outW, B·C, M]` used as a depthwise filter with stride `d`
 * and dilation `s` (the forward's swapped), giving `[1, kH, kW, B·C·M]`, summed over `B`.
 * tfjs forbids strides > 1 together with dilations > 1, and so does this kernel.
 */
export function depthwiseConv2dNativeBackpropFilter({ inputs, attrs }: KernelArgs): tf.Tensor {
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const [strideH, strideW] = pair(strides);
  const [dilationH, dilationW] = pair(dilations);
  if (Math.max(strideH, strideW) > 1 && Math.max(dilationH, dilationW) > 1) {
    throw kernelError(name, `strides [${strideH}, ${strideW}] > 1 together with dilations [${dilationH}, ${dilationW}] > 1 are not supported`);
  }
  const xInfo = requireInput(name, inputs, 'x');
  const dyInfo = requireInput(name, inputs, 'dy');
  const xShape = xInfo.shape as [number, number, number, number];
  if (xShape.length !== 4) throw kernelError(name, `x must be rank 4 (NHWC), got rank ${xShape.length}`);
  if (filterShape[2] !== xShape[3]) {
    throw kernelError(name, `filterShape [${filterShape.join(', ')}] does not match the ${xShape[3]} input channels`);
  }
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, [dilationH, dilationW], pad, dimRoundingMode, true);
  expectShape(name, 'dy', dyInfo.shape, info.outShape);
  const [batch, , , channels] = xShape;
  const [filterH, filterW, , multiplier] = filterShape;

  return tf.tidy(() => {
    const x = asTensor<tf.Tensor4D>(xInfo);
    const dy = asTensor<tf.Tensor4D>(dyInfo);
    if (x.size === 0 || dy.size === 0) return tf.zeros(filterShape);
    const window = spatialWindow(
      x,
      { start: -info.padInfo.top, length: (info.outHeight - 1) * strideH + info.effectiveFilterHeight },
      { start: -info.padInfo.left, length: (info.outWidth - 1) * strideW + info.effectiveFilterWidth },
    );
    const [, windowH, windowW] = window.shape;
    const image = tf.reshape<tf.Rank.R4>(tf.transpose(window, [1, 2, 0, 3]), [1, windowH, windowW, batch * channels]);
    const filter = tf.reshape<tf.Rank.R4>(tf.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, batch * channels, multiplier]);
    const perImage: tf.Tensor = tf.depthwiseConv2d(image, filter, [dilationH, dilationW], 'valid', 'NHWC', [strideH, strideW]);
    const grad = batch === 1 ? perImage : tf.sum(tf.reshape(perImage, [filterH, filterW, batch, channels * multiplier]), 2);
    return tf.reshape(grad, filterShape);
  });
}
