import { PoseDatasetFormatError } from './errors';
import type { PoseAnnotation } from './pose-annotation';
import { describe, expectNumber, expectNumberArray, expectObject, readJsonFile } from './read-json';
import { MPII_SKELETON } from './skeletons';

/** MPII has 16 joints. */
export const MPII_JOINT_COUNT = MPII_SKELETON.jointNames.length;

/**
 * MPII's PCKh normaliser: `0.6 · ‖headbox corner₂ − corner₁‖` (the `SC_BIAS` of the official MPII
 * evaluation, Andriluka et al. 2014, also in HRNet's `mpii.py`).
 */
export const MPII_HEAD_SIZE_FACTOR = 0.6;

export interface MpiiLoadOptions {
  /**
   * Apply the conventions of HRNet's MPII reader (default true): joints in the JSON are 1-based
   * MATLAB pixels (joints and center: subtract 1), the person center is moved down by 15·scale px and
   * the scale is padded ×1.25. Our synthetic generator writes files in the same convention.
   */
  readonly hrnetConventions?: boolean;
}

/**
 * Reads an MPII annotation file in HRNet's JSON format (`annot/train.json`, `annot/valid.json`): a list
 * of `{ image, center: [x, y], scale, joints: [[x, y] × 16], joints_vis: [16] }`, where `scale · 200`
 * is the person's height in pixels. The PCKh head size comes from an optional `head_size` field
 * (pixels, already 0.6·diagonal) or an optional `headbox: [[x1, y1], [x2, y2]]` (0.6·‖diagonal‖);
 * HRNet keeps head boxes in `gt_valid.mat` instead, so real validation files need one of the two added.
 */
export function loadMpiiAnnotations(file: string, options: MpiiLoadOptions = {}): PoseAnnotation[] {
  const hrnet = options.hrnetConventions ?? true;
  const root = readJsonFile(file);
  if (!Array.isArray(root)) {
    throw new PoseDatasetFormatError(file, `expected a JSON list of person entries (HRNet MPII format), found ${describe(root)}`);
  }
  return root.map((raw, index) => parseEntry(raw, file, `entry ${index}`, hrnet));
}

function parseEntry(raw: unknown, file: string, where: string, hrnet: boolean): PoseAnnotation {
  const entry = expectObject(raw, file, where);
  if (typeof entry.image !== 'string' || entry.image === '') {
    throw new PoseDatasetFormatError(file, `${where}: image: expected a file name, found ${describe(entry.image)}`);
  }
  const center = expectNumberArray(entry.center, file, `${where}: center`, 2);
  const rawScale = expectNumber(entry.scale, file, `${where}: scale`);
  if (rawScale <= 0) throw new PoseDatasetFormatError(file, `${where}: scale: expected > 0, found ${rawScale}`);
  if (!Array.isArray(entry.joints) || entry.joints.length !== MPII_JOINT_COUNT) {
    throw new PoseDatasetFormatError(
      file,
      `${where}: joints: expected ${MPII_JOINT_COUNT} [x, y] pairs, found ${describe(entry.joints)}`,
    );
  }
  const jointOffset = hrnet ? 1 : 0;
  const joints = new Float32Array(MPII_JOINT_COUNT * 2);
  entry.joints.forEach((pair, j) => {
    const [x, y] = expectNumberArray(pair, file, `${where}: joints[${j}]`, 2);
    joints[2 * j] = x - jointOffset;
    joints[2 * j + 1] = y - jointOffset;
  });
  const visibility = Float32Array.from(
    expectNumberArray(entry.joints_vis, file, `${where}: joints_vis`, MPII_JOINT_COUNT),
    (v) => (v > 0 ? 1 : 0),
  );
  const scale = hrnet ? rawScale * 1.25 : rawScale;
  const centerY = hrnet && center[0] !== -1 ? center[1] + 15 * rawScale : center[1];
  return {
    image: entry.image,
    center: [center[0] - jointOffset, centerY - jointOffset],
    scale: [scale, scale],
    joints,
    visibility,
    headSize: headSizeOf(entry, file, where),
  };
}

function headSizeOf(entry: Record<string, unknown>, file: string, where: string): number | undefined {
  if (entry.head_size !== undefined) {
    const size = expectNumber(entry.head_size, file, `${where}: head_size`);
    if (size <= 0) throw new PoseDatasetFormatError(file, `${where}: head_size: expected > 0 pixels, found ${size}`);
    return size;
  }
  if (entry.headbox !== undefined) {
    if (!Array.isArray(entry.headbox) || entry.headbox.length !== 2) {
      throw new PoseDatasetFormatError(file, `${where}: headbox: expected [[x1, y1], [x2, y2]], found ${describe(entry.headbox)}`);
    }
    const [x1, y1] = expectNumberArray(entry.headbox[0], file, `${where}: headbox[0]`, 2);
    const [x2, y2] = expectNumberArray(entry.headbox[1], file, `${where}: headbox[1]`, 2);
    return MPII_HEAD_SIZE_FACTOR * Math.hypot(x2 - x1, y2 - y1);
  }
  return undefined;
}
