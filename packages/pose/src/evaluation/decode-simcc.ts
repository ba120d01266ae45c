import type { DecodedJoints } from './decode-heatmaps';

/**
 * SimCC decoding (Li et al. 2022, §3; the authors' `validate_sa_simdr`): per joint and axis take the
 * argmax bin and divide by the split ratio k, giving input-crop pixels; the joint's confidence is the
 * smaller of the two axes' maxima (of softmax probabilities, as the authors score joints).
 * @param x [N·K·Bx] per-bin probabilities (or logits); y [N·K·By]
 * @returns coords [N·K·2] in input-crop pixels; maxValues [N·K]
 */
export function decodeSimcc(
  x: Float32Array,
  y: Float32Array,
  n: number,
  k: number,
  bins: { readonly x: number; readonly y: number },
  splitRatio: number,
): DecodedJoints {
  if (x.length !== n * k * bins.x || y.length !== n * k * bins.y) {
    throw new RangeError(
      `decodeSimcc: expected ${n}×${k}×${bins.x} x and ${n}×${k}×${bins.y} y values, found ${x.length} and ${y.length}`,
    );
  }
  const coords = new Float32Array(n * k * 2);
  const maxValues = new Float32Array(n * k);
  for (let joint = 0; joint < n * k; joint++) {
    const [bestX, maxX] = argmax(x, joint * bins.x, bins.x);
    const [bestY, maxY] = argmax(y, joint * bins.y, bins.y);
    coords[2 * joint] = bestX / splitRatio;
    coords[2 * joint + 1] = bestY / splitRatio;
    maxValues[joint] = Math.min(maxX, maxY);
  }
  return { coords, maxValues };
}

/** Index (within the slice) and value of the first maximum of `values[start … start + length)`. */
function argmax(values: Float32Array, start: number, length: number): [number, number] {
  let best = 0;
  let max = -Infinity;
  for (let b = 0; b < length; b++) {
    if (values[start + b] > max) {
      max = values[start + b];
      best = b;
    }
  }
  return [best, max];
}
