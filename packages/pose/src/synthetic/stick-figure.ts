import type { Rng } from '@ausam/core';

/** Which way the figure faces; it decides on which image side the person's right limbs are. */
export type Facing = 'front' | 'back';

/** A figure's 16 joints in MPII order (image pixels) and its head segment length. */
export interface StickFigure {
  /** [16·2] x, y in MPII joint order (r_ankle … l_wrist). */
  readonly joints: Float32Array;
  readonly facing: Facing;
  /** Upper neck → head top distance in pixels. */
  readonly headLength: number;
  /** Limb thickness in pixels. */
  readonly thickness: number;
}

/** Segment lengths as fractions of standing height (rough human proportions), each jittered ±15 %. */
const PROPORTIONS = {
  torso: 0.3,
  neck: 0.05,
  head: 0.13,
  upperArm: 0.17,
  forearm: 0.15,
  thigh: 0.24,
  shin: 0.24,
  shoulderHalfWidth: 0.1,
  hipHalfWidth: 0.06,
};

const deg = Math.PI / 180;

function rotate([x, y]: readonly [number, number], angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

/**
 * Samples an articulated stick figure of the given standing height, centred at `center` after a global
 * rotation. Front-facing figures have their right side on the image's left when upright (as a person
 * facing the camera), back-facing ones on the right — a mirror-consistent left/right cue, so horizontal
 * flip augmentation with swapped labels stays truthful. Shoulder and hip widths shrink for turned
 * (profile-like) bodies; arm and leg angles are random within loose human ranges.
 */
export function sampleStickFigure(rng: Rng, height: number, center: readonly [number, number], rotationDegrees: number): StickFigure {
  const length = (fraction: number) => fraction * height * (0.85 + 0.3 * rng.next());
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const facing: Facing = rng.next() < 0.5 ? 'front' : 'back';
  const turn = uniform(0.3, 1);

  const lean = rng.normal() * 10 * deg;
  const up = rotate([0, -1], lean);
  const down: [number, number] = [-up[0], -up[1]];
  // The person's right side: image-left of the torso when facing the camera.
  const imageRight = rotate([1, 0], lean);
  const personRight: [number, number] = facing === 'front' ? [-imageRight[0], -imageRight[1]] : imageRight;
  const add = (p: readonly [number, number], d: readonly [number, number], len: number): [number, number] => [p[0] + d[0] * len, p[1] + d[1] * len];

  const pelvis: [number, number] = [0, 0];
  const thorax = add(pelvis, up, length(PROPORTIONS.torso));
  const neckDir = rotate(up, rng.normal() * 10 * deg);
  const upperNeck = add(thorax, neckDir, length(PROPORTIONS.neck));
  const headLength = length(PROPORTIONS.head);
  const headTop = add(upperNeck, rotate(neckDir, rng.normal() * 15 * deg), headLength);
  const shoulderWidth = length(PROPORTIONS.shoulderHalfWidth) * turn;
  const hipWidth = length(PROPORTIONS.hipHalfWidth) * turn;
  const rShoulder = add(thorax, personRight, shoulderWidth);
  const lShoulder = add(thorax, personRight, -shoulderWidth);
  const rHip = add(pelvis, personRight, hipWidth);
  const lHip = add(pelvis, personRight, -hipWidth);

  // Limb angles are measured from "down"; a positive angle moves the limb away from the body. With y
  // pointing down, a positive rotation of "down" swings toward image-left, where a front-facing person's
  // right side is. `side` is +1 for the person's right, −1 for the left.
  const outward = (side: 1 | -1, angle: number) => (facing === 'front' ? side : -side) * angle;
  const arm = (shoulder: [number, number], side: 1 | -1): [[number, number], [number, number]] => {
    const upperDir = rotate(down, outward(side, uniform(-40, 170) * deg));
    const elbow = add(shoulder, upperDir, length(PROPORTIONS.upperArm));
    const foreDir = rotate(upperDir, outward(side, uniform(-150, 40) * deg));
    return [elbow, add(elbow, foreDir, length(PROPORTIONS.forearm))];
  };
  const leg = (hip: [number, number], side: 1 | -1): [[number, number], [number, number]] => {
    const thighDir = rotate(down, outward(side, uniform(-25, 60) * deg));
    const knee = add(hip, thighDir, length(PROPORTIONS.thigh));
    const shinDir = rotate(thighDir, rng.normal() * 35 * deg);
    return [knee, add(knee, shinDir, length(PROPORTIONS.shin))];
  };
  const [rElbow, rWrist] = arm(rShoulder, 1);
  const [lElbow, lWrist] = arm(lShoulder, -1);
  const [rKnee, rAnkle] = leg(rHip, 1);
  const [lKnee, lAnkle] = leg(lHip, -1);

  const points = [rAnkle, rKnee, rHip, lHip, lKnee, lAnkle, pelvis, thorax, upperNeck, headTop, rWrist, rElbow, rShoulder, lShoulder, lElbow, lWrist];
  // Centre the figure's bounding box, rotate globally, move to `center`.
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const mid: [number, number] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  const joints = new Float32Array(32);
  points.forEach((p, j) => {
    const [x, y] = rotate([p[0] - mid[0], p[1] - mid[1]], rotationDegrees * deg);
    joints[2 * j] = x + center[0];
    joints[2 * j + 1] = y + center[1];
  });
  return { joints, facing, headLength, thickness: Math.max(1.5, 0.035 * height) };
}
