/**
 * A keypoint layout: joint names in annotation order, the left/right pairs that swap under a
 * horizontal flip, and which joints count as upper body for half-body augmentation.
 */
export interface Skeleton {
  /** Dataset family; it decides the metric (`mpii` → PCKh, `coco` → OKS AP). */
  readonly kind: 'mpii' | 'coco';
  readonly jointNames: readonly string[];
  /** Index pairs [a, b] whose labels swap when the image is mirrored. */
  readonly flipPairs: readonly (readonly [number, number])[];
  /** Joints of the upper body (the rest are lower body), as in HRNet's half-body transform. */
  readonly upperBodyJoints: readonly number[];
  /** Per-joint loss weights (HRNet's `joints_weight`); all 1 unless stated. */
  readonly jointWeights: readonly number[];
  /** Limbs as joint-index pairs, for drawing. */
  readonly limbs: readonly (readonly [number, number])[];
}

/** MPII's 16 joints in the order of the MPII annotation (and HRNet's JSON). */
export const MPII_SKELETON: Skeleton = {
  kind: 'mpii',
  jointNames: [
    'r_ankle', 'r_knee', 'r_hip', 'l_hip', 'l_knee', 'l_ankle', 'pelvis', 'thorax',
    'upper_neck', 'head_top', 'r_wrist', 'r_elbow', 'r_shoulder', 'l_shoulder', 'l_elbow', 'l_wrist',
  ],
  flipPairs: [[0, 5], [1, 4], [2, 3], [10, 15], [11, 14], [12, 13]],
  upperBodyJoints: [7, 8, 9, 10, 11, 12, 13, 14, 15],
  jointWeights: new Array(16).fill(1),
  limbs: [
    [0, 1], [1, 2], [2, 6], [6, 3], [3, 4], [4, 5], [6, 7], [7, 8], [8, 9],
    [7, 12], [12, 11], [11, 10], [7, 13], [13, 14], [14, 15],
  ],
};

/** COCO's 17 person keypoints in `person_keypoints_*.json` order. */
export const COCO_SKELETON: Skeleton = {
  kind: 'coco',
  jointNames: [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
  ],
  flipPairs: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16]],
  upperBodyJoints: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  jointWeights: new Array(17).fill(1),
  limbs: [
    [15, 13], [13, 11], [16, 14], [14, 12], [11, 12], [5, 11], [6, 12], [5, 6], [5, 7],
    [6, 8], [7, 9], [8, 10], [1, 2], [0, 1], [0, 2], [1, 3], [2, 4], [3, 5], [4, 6],
  ],
};

/**
 * Per-keypoint OKS falloff constants κ_j of the COCO keypoint challenge (cocodataset.org/#keypoints-eval,
 * `pycocotools` COCOeval.kpt_oks_sigmas), in {@link COCO_SKELETON} order.
 */
export const COCO_OKS_SIGMAS: readonly number[] = [
  0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62, 1.07, 1.07, 0.87, 0.87, 0.89, 0.89,
].map((s) => s / 10);

/** The permutation that relabels joints after a horizontal flip: `perm[j]` is j's mirror partner (or j). */
export function flipPermutation(skeleton: Skeleton): Int32Array {
  const perm = Int32Array.from(skeleton.jointNames, (_, j) => j);
  for (const [a, b] of skeleton.flipPairs) {
    perm[a] = b;
    perm[b] = a;
  }
  return perm;
}

/** Looks a skeleton up by dataset kind. */
export function skeletonFor(kind: 'mpii' | 'coco'): Skeleton {
  return kind === 'mpii' ? MPII_SKELETON : COCO_SKELETON;
}
