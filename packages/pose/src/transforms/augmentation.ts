import type { Rng } from '@ausam/core';

/** Random top-down augmentation, as in HRNet's `JointsDataset.__getitem__` (Sun et al. 2019). */
export interface AugmentationOptions {
  /** s ← s · clip(1 + sf·N(0,1), 1 − sf, 1 + sf). HRNet: 0.25 (MPII), 0.35 (COCO). */
  readonly scaleFactor: number;
  /** θ ← clip(rf·N(0,1), −2rf, 2rf) degrees with probability `rotationProbability`, else 0. HRNet: 30 / 45. */
  readonly rotationFactorDegrees: number;
  readonly rotationProbability: number;
  /** Mirror with probability 1/2, swapping the skeleton's left/right joint pairs. */
  readonly flip: boolean;
  /** Probability of a half-body crop when more than `halfBodyMinJoints` joints are visible (HRNet COCO: 0.3, 8). */
  readonly halfBodyProbability: number;
  readonly halfBodyMinJoints: number;
}

/** HRNet's MPII settings. */
export const MPII_AUGMENTATION: AugmentationOptions = {
  scaleFactor: 0.25,
  rotationFactorDegrees: 30,
  rotationProbability: 0.6,
  flip: true,
  halfBodyProbability: 0,
  halfBodyMinJoints: 8,
};

/** HRNet's COCO settings. */
export const COCO_AUGMENTATION: AugmentationOptions = {
  scaleFactor: 0.35,
  rotationFactorDegrees: 45,
  rotationProbability: 0.6,
  flip: true,
  halfBodyProbability: 0.3,
  halfBodyMinJoints: 8,
};

/** One draw of the augmentation. */
export interface AugmentationDraw {
  readonly scaleMultiplier: number;
  readonly rotationDegrees: number;
  readonly flip: boolean;
  readonly halfBody: boolean;
  /** HRNet picks the upper half when N(0,1) < 0.5 (≈ 69 %). */
  readonly halfBodyUpper: boolean;
}

/** The identity draw (evaluation). */
export const NO_AUGMENTATION: AugmentationDraw = { scaleMultiplier: 1, rotationDegrees: 0, flip: false, halfBody: false, halfBodyUpper: false };

/** Draws scale, rotation, flip and half-body decisions from `rng`, in a fixed order (reproducible). */
export function drawAugmentation(options: AugmentationOptions, rng: Rng): AugmentationDraw {
  const halfBody = rng.next() < options.halfBodyProbability;
  const halfBodyUpper = rng.normal() < 0.5;
  const sf = options.scaleFactor;
  const scaleMultiplier = clip(1 + sf * rng.normal(), 1 - sf, 1 + sf);
  const rf = options.rotationFactorDegrees;
  const rotationNoise = rng.normal();
  const rotationDegrees = rng.next() < options.rotationProbability ? clip(rf * rotationNoise, -2 * rf, 2 * rf) : 0;
  const flip = options.flip && rng.next() < 0.5;
  return { scaleMultiplier, rotationDegrees, flip, halfBody, halfBodyUpper };
}

function clip(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
