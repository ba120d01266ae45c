import * as tf from '@tensorflow/tfjs-core';
import { convGeometry } from './native/conv-geometry';
import { asTensor, expectShape, float32Output, float32View, kernelError, requireInput, type KernelArgs } from './kernel-util';
import { nativeFilterGradient, nativeFilterGradientInUse } from './native/native-filter-gradient';
import { flexibleWindow, windowAsPadding } from './spatial';

const name = tf.Conv2DBackpropFilter;

/**
 * `Conv2DBackpropFilter` (the filter gradient of `conv2d`) for the wasm backend. It runs core's own
 * wasm SIMD kernel (`native/filter-gradient.c`), which imports the wasm heap, reads `x` and `dy` in
 * place and writes `dW` into its tensor:
 * 2–3× the transposed conv below on resnet-small's 3×3 layers and 4–10× the matrix product on its
 * 1×1 shortcuts (docs/backends.md). Where the native kernel cannot run, 1×1 filters take a matrix
 * product (see `pointwiseFilterGradient`) and larger ones are composed from wasm's Conv2D,
 * Transpose and (only where the window ends inside the input) Slice:
 *
 * With the forward padding made explicit (`xw`: the exact `(outH-1)·s + (kH-1)·d + 1` input rows
 * the forward pass read, zero-filled or cropped per `computeConv2DInfo`),
 * `dW[kh,kw,ci,co] = Σ_{b,oh,ow} xw[b, kh·d + oh·s, kw·d + ow·s, ci] · dy[b,oh,ow,co]`,
 * which is a 'valid' conv2d of `xwᵀ = [Cin, H', W', B]` (channels as batch, batch as channels) with
 * `dyᵀ = [outH, outW, B, Cout]` as the filter, stride `d` and dilation `s` (the forward's swapped).
 * The window's zero rows and columns are the conv's explicit padding, so only `x` is transposed.
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
    if (nativeFilterGradientInUse()) return nativeGradient(x, dy, info, filterShape);
    if (info.filterHeight === 1 && info.filterWidth === 1) return pointwiseFilterGradient(x, dy, info);
    const window = windowAsPadding(
      x,
      { start: -info.padInfo.top, length: (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight },
      { start: -info.padInfo.left, length: (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth },
    );
    const grad = tf.conv2d(
      tf.transpose(window.input, [3, 1, 2, 0]),
      tf.transpose(dy, [1, 2, 0, 3]),
      [info.dilationHeight, info.dilationWidth],
      window.pad,
      'NHWC',
      [info.strideHeight, info.strideWidth],
    );
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
}

function nativeGradient(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, filterShape: [number, number, number, number]): tf.Tensor4D {
  return float32Output<tf.Rank.R4>(filterShape, (out, heap) => nativeFilterGradient(float32View(x), float32View(dy), convGeometry(info), heap, out));
}

/**
 * The filter gradient of a 1×1 conv as one matrix product, `dW = dyᵀ·xₛ` (`[Cout, K]·[K, Cin]`,
 * `K = B·outH·outW`, transposed back): 2–4× faster on wasm than the transposed-conv form, whose
 * 1×1 case spends its time cropping and transposing the whole input. `xₛ` is the input pixels
 * the forward pass read: `x` itself for stride 1 without padding, else a 'valid' 1×1 conv with the
 * identity matrix, at the forward's strides, of the window the forward read (exact: each output
 * is one input times 1, plus zeros). The window may run up to `stride - 1` rows past the last one
 * read, which the strided conv skips, so an even-sized input needs no crop. The product runs on
 * XNNPACK because neither operand is transposed; `dyᵀ` is a fresh tensor, so XNNPACK's
 * packed-weights cache (keyed on the second operand) sees `xₛ` only.
 */
function pointwiseFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { batchSize, outHeight, outWidth, inChannels, outChannels, inHeight, inWidth, padInfo, strideHeight, strideWidth } = info;
  const rows = batchSize * outHeight * outWidth;
  const direct = strideHeight === 1 && strideWidth === 1 && outHeight === inHeight && outWidth === inWidth && padInfo.top === 0 && padInfo.left === 0;
  let sampled: tf.Tensor4D = x;
  if (!direct) {
    const window = flexibleWindow(
      x,
      { start: -padInfo.top, length: (outHeight - 1) * strideHeight + 1, maxLength: outHeight * strideHeight },
      { start: -padInfo.left, length: (outWidth - 1) * strideWidth + 1, maxLength: outWidth * strideWidth },
    );
    const identity = tf.reshape<tf.Rank.R4>(tf.eye(inChannels), [1, 1, inChannels, inChannels]);
    sampled = tf.conv2d(window, identity, [strideHeight, strideWidth], 'valid');
  }
  const dyT = tf.transpose(tf.reshape(dy, [rows, outChannels])) as tf.Tensor2D;
  const grad = tf.matMul(dyT, tf.reshape<tf.Rank.R2>(sampled, [rows, inChannels]));
  return tf.reshape(tf.transpose(grad), [1, 1, inChannels, outChannels]);
}
