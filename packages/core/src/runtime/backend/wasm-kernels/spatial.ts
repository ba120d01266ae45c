import * as tf from '@tensorflow/tfjs-core';

/** Rows (or columns) `start .. start + length - 1` of an axis; indices outside the input read as 0. */
export interface Span {
  readonly start: number;
  readonly length: number;
}

/**
 * Cuts the spatial window `rows` × `cols` out of an NHWC tensor, zero-filling where the window
 * leaves the input: a negative start or an overlong window pads, a positive start or a short
 * window crops. This is how every conv padding mode and rounding mode becomes an explicit window,
 * so the composed convolutions can all run 'valid'.
 */
export function spatialWindow(x: tf.Tensor4D, rows: Span, cols: Span): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const r = clip(rows, height);
  const c = clip(cols, width);
  if (r.keep <= 0 || c.keep <= 0) return tf.zeros([batch, rows.length, cols.length, channels], x.dtype);
  const kept =
    r.keep === height && c.keep === width ? x : tf.slice(x, [0, r.from, c.from, 0], [batch, r.keep, c.keep, channels]);
  if (r.before === 0 && r.after === 0 && c.before === 0 && c.after === 0) return kept;
  return tf.pad(kept, [
    [0, 0],
    [r.before, r.after],
    [c.before, c.after],
    [0, 0],
  ]);
}

/**
 * Like {@link spatialWindow}, but each span's length may be anything in `[length, maxLength]`:
 * the one closest to the rows the input has from `start` on, so the window is neither padded nor
 * cropped at its end where that is possible (cropping copies the input through wasm's JS Slice).
 */
export function flexibleWindow(
  x: tf.Tensor4D,
  rows: Span & { readonly maxLength: number },
  cols: Span & { readonly maxLength: number },
): tf.Tensor4D {
  const fitToExtent = (span: Span & { readonly maxLength: number }, size: number): Span => ({
    start: span.start,
    length: Math.min(span.maxLength, Math.max(span.length, size - span.start)),
  });
  return spatialWindow(x, fitToExtent(rows, x.shape[1]), fitToExtent(cols, x.shape[2]));
}

/** Explicit NHWC padding as `tf.conv2d` takes it. */
export type SpatialPadding = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * The window of {@link spatialWindow} as the part of `x` inside it plus the zero padding around
 * it, for a 'valid' conv2d to take as explicit padding: XNNPACK pads inside the convolution, so
 * no padded copy of `x` is made. `x` is cropped (a copy) only where the window ends inside it.
 */
export function windowAsPadding(x: tf.Tensor4D, rows: Span, cols: Span): { input: tf.Tensor4D; pad: SpatialPadding } {
  const [batch, height, width, channels] = x.shape;
  const r = clip(rows, height);
  const c = clip(cols, width);
  if (r.keep <= 0 || c.keep <= 0) return { input: spatialWindow(x, rows, cols), pad: [[0, 0], [0, 0], [0, 0], [0, 0]] };
  const input =
    r.keep === height && c.keep === width ? x : tf.slice(x, [0, r.from, c.from, 0], [batch, r.keep, c.keep, channels]);
  return { input, pad: [[0, 0], [r.before, r.after], [c.before, c.after], [0, 0]] };
}

function clip(span: Span, size: number): { from: number; keep: number; before: number; after: number } {
  const from = Math.max(0, span.start);
  const to = Math.min(size, span.start + span.length);
  const keep = to - from;
  const before = Math.min(span.length, from - span.start);
  return { from, keep, before, after: span.length - before - Math.max(0, keep) };
}

/**
 * Inserts `stride - 1` zeros after every row and column of an NHWC tensor (the transpose of a
 * strided read), via reshape → pad → reshape: `[B, H, W, C]` → `[B, H·sH, W·sW, C]`.
 */
export function dilateSpatial(x: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [batch, height, width, channels] = x.shape;
  const spread = tf.pad(tf.reshape(x, [batch, height, 1, width, 1, channels]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [batch, height * strideHeight, width * strideWidth, channels]);
}
