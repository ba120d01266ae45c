/**
 * A 2-D affine map p ↦ A·p + t stored row-major as [a, b, tx, c, d, ty]:
 * x' = a·x + b·y + tx, y' = c·x + d·y + ty.
 */
export type Affine = readonly [number, number, number, number, number, number];

/** Size of a crop or heatmap, in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The similarity that maps a person box to an output of `size` pixels (HRNet's
 * `get_affine_transform`, Sun et al. 2019, without shift): the box center goes to the output's center
 * (width/2, height/2), the box width `scale[0]·200` spans the output width, and the image is rotated
 * by `rotationDegrees` counter-clockwise in the output:
 * p_out = k·R(−θ)·(p − center) + (W/2, H/2),  k = W / (200·scale[0]).
 */
export function cropTransform(
  center: readonly [number, number],
  scale: readonly [number, number],
  rotationDegrees: number,
  size: Size,
): Affine {
  const k = size.width / (scale[0] * 200);
  const theta = (rotationDegrees * Math.PI) / 180;
  const cos = Math.cos(theta) * k;
  const sin = Math.sin(theta) * k;
  // R(−θ) = [[cos, sin], [−sin, cos]] in HRNet's get_dir convention.
  const a = cos;
  const b = sin;
  const c = -sin;
  const d = cos;
  return [a, b, size.width / 2 - a * center[0] - b * center[1], c, d, size.height / 2 - c * center[0] - d * center[1]];
}

/** The inverse map. */
export function invertAffine(m: Affine): Affine {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  if (det === 0) throw new RangeError('invertAffine: singular transform');
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

/** `second ∘ first`: apply `first`, then `second`. */
export function composeAffine(second: Affine, first: Affine): Affine {
  const [a2, b2, tx2, c2, d2, ty2] = second;
  const [a1, b1, tx1, c1, d1, ty1] = first;
  return [
    a2 * a1 + b2 * c1,
    a2 * b1 + b2 * d1,
    a2 * tx1 + b2 * ty1 + tx2,
    c2 * a1 + d2 * c1,
    c2 * b1 + d2 * d1,
    c2 * tx1 + d2 * ty1 + ty2,
  ];
}

/**
 * Mirror about the vertical center line of an output `width` pixels wide, x ↦ width − 1 − x
 * (the pixel-index mirror HRNet's `fliplr_joints` uses).
 */
export function horizontalFlip(width: number): Affine {
  return [-1, 0, width - 1, 0, 1, 0];
}

/** Applies `m` to interleaved points [x0, y0, x1, y1, …], returning a new array. */
export function transformPoints(m: Affine, points: ArrayLike<number>): Float32Array {
  const [a, b, tx, c, d, ty] = m;
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i];
    const y = points[i + 1];
    out[i] = a * x + b * y + tx;
    out[i + 1] = c * x + d * y + ty;
  }
  return out;
}
