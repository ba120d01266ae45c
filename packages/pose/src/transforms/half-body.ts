import type { Skeleton } from '../data/skeletons';

/**
 * HRNet's half-body transform (Sun et al. 2019, `half_body_transform`): a new person box around the
 * visible joints of the upper or the lower body (upper when `preferUpper` and it has > 2 visible
 * joints, or when the lower half has ≤ 2), grown to `aspectRatio` and padded ×1.5.
 * Returns undefined when fewer than 2 joints qualify.
 */
export function halfBodyBox(
  joints: Float32Array,
  visibility: Float32Array,
  skeleton: Skeleton,
  aspectRatio: number,
  preferUpper: boolean,
): { center: [number, number]; scale: [number, number] } | undefined {
  const upperSet = new Set(skeleton.upperBodyJoints);
  const upper: number[] = [];
  const lower: number[] = [];
  for (let j = 0; j < visibility.length; j++) {
    if (visibility[j] <= 0) continue;
    (upperSet.has(j) ? upper : lower).push(j);
  }
  const selected = (preferUpper && upper.length > 2) || lower.length <= 2 ? upper : lower;
  if (selected.length < 2) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let sumX = 0;
  let sumY = 0;
  for (const j of selected) {
    const x = joints[2 * j];
    const y = joints[2 * j + 1];
    sumX += x;
    sumY += y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  let w = maxX - minX;
  let h = maxY - minY;
  if (w > aspectRatio * h) h = w / aspectRatio;
  else if (w < aspectRatio * h) w = h * aspectRatio;
  return {
    center: [sumX / selected.length, sumY / selected.length],
    scale: [(w / 200) * 1.5, (h / 200) * 1.5],
  };
}
