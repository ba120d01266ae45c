import type * as tf from '@tensorflow/tfjs-core';

/** The shapes and window of one conv2d (NHWC input `x`, `[kh, kw, cin, cout]` filter, dilation 1), as its native kernels take them. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  /** Zero rows above / columns left of the input that the forward pass's window starts in. */
  readonly padTop: number;
  readonly padLeft: number;
}

/** Throws unless `values` holds `dims`' product of values: a caller's tensor that does not match the geometry. */
export function expectLength(kernel: string, what: string, values: ArrayLike<number>, dims: readonly number[]): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (values.length !== expected) throw new RangeError(`${kernel}: ${what} has ${values.length} values, expected ${dims.join('×')}`);
}

/** The geometry of a conv as `tf.backend_util.computeConv2DInfo` describes it (dilation 1). */
export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
