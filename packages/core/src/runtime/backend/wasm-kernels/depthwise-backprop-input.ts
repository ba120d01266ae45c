import * as tf from '@tensorflow/tfjs-core';
import { asTensor, expectShape, pair, requireInputGradientOperands, type KernelArgs } from './kernel-util';
import { dilateSpatial, spatialWindow } from './spatial';

const name = tf.DepthwiseConv2dNativeBackpropInput;

/**
 * `DepthwiseConv2dNativeBackpropInput` (the input gradient of `depthwiseConv2d`) for the wasm
 * backend, composed from wasm's DepthwiseConv2dNative, PadV2/Slice, Reshape, Reverse and Sum.
 *
 * `dx[b,h,w,c] = Σ_{kh,kw,m} dyₛ[b, h + top - kh·d, w + left - kw·d, c·M+m] · W[kh,kw,c,m]`, where
 * `dyₛ` is `dy` with `s - 1` zeros inserted after each row/column (reshape + pad, no loops). Padding
 * `dyₛ` by `(kH-1)·d - top` rows in front (cropping if negative) and to `H + (kH-1)·d` rows in total
 * turns that into a stride-1 'valid' depthwise conv with dilation `d` and the spatially reversed
 * filter, reshaped to `[kH, kW, C·M, 1]` so every `(c, m)` pair is its own channel; summing the
 * `M` multiplier channels of each `c` gives `dx`. Any stride/dilation combination works.
 */
export function depthwiseConv2dNativeBackpropInput({ inputs, attrs }: KernelArgs): tf.Tensor {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const [strideH, strideW] = pair(strides);
  const [dilationH, dilationW] = pair(dilations);
  const { dyInfo, filterInfo, filterShape } = requireInputGradientOperands(name, inputs, inputShape);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, [dilationH, dilationW], pad, dimRoundingMode, true);
  expectShape(name, 'dy', dyInfo.shape, info.outShape);
  const [batch, height, width, channels] = inputShape;
  const [filterH, filterW, , multiplier] = filterShape;
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
    const flipped = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [filterH, filterW, channels * multiplier, 1]);
    const perPair: tf.Tensor = tf.depthwiseConv2d(padded, flipped, 1, 'valid', 'NHWC', [dilationH, dilationW]);
    return multiplier === 1 ? perPair : tf.sum(tf.reshape(perPair, [batch, height, width, channels, multiplier]), 4);
  });
}
