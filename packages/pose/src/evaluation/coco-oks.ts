import { COCO_OKS_SIGMAS } from '../data/skeletons';

/** One ground-truth person for OKS evaluation. */
export interface OksGroundTruth {
  readonly imageId: number;
  /** [K·3] x, y, v as in COCO (v > 0 = labelled). */
  readonly keypoints: ArrayLike<number>;
  /** Segment area, the OKS scale s². */
  readonly area: number;
  /** [x, y, w, h]. */
  readonly bbox: readonly [number, number, number, number];
  /** Crowd regions and people with no labelled keypoint are ignored (COCOeval). */
  readonly ignore?: boolean;
  readonly isCrowd?: boolean;
}

/** One predicted person. */
export interface OksDetection {
  readonly imageId: number;
  /** [K·3] x, y, confidence. */
  readonly keypoints: ArrayLike<number>;
  readonly score: number;
}

/**
 * Object keypoint similarity (COCO keypoint evaluation, `COCOeval.computeOks`):
 * OKS = Σ_j exp(−d_j² / (2·s²·(2κ_j)²)) · [v_j > 0] / Σ_j [v_j > 0], s² = area.
 * A ground truth without labelled keypoints is compared by the distance outside its box enlarged to
 * 3× (COCOeval's rule), over all joints.
 */
export function objectKeypointSimilarity(
  detection: ArrayLike<number>,
  truth: OksGroundTruth,
  sigmas: readonly number[] = COCO_OKS_SIGMAS,
): number {
  const k = sigmas.length;
  let labelled = 0;
  for (let j = 0; j < k; j++) if (truth.keypoints[3 * j + 2] > 0) labelled++;
  const [bx, by, bw, bh] = truth.bbox;
  const x0 = bx - bw;
  const x1 = bx + bw * 2;
  const y0 = by - bh;
  const y1 = by + bh * 2;
  let sum = 0;
  let terms = 0;
  for (let j = 0; j < k; j++) {
    const xd = detection[3 * j];
    const yd = detection[3 * j + 1];
    let dx: number;
    let dy: number;
    if (labelled > 0) {
      if (!(truth.keypoints[3 * j + 2] > 0)) continue;
      dx = xd - truth.keypoints[3 * j];
      dy = yd - truth.keypoints[3 * j + 1];
    } else {
      dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
      dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
    }
    const variance = (2 * sigmas[j]) ** 2;
    const e = (dx * dx + dy * dy) / variance / (truth.area + Number.EPSILON) / 2;
    sum += Math.exp(-e);
    terms++;
  }
  return terms > 0 ? sum / terms : 0;
}

/** COCO keypoint AP / AR summary (the first ten `COCOeval.stats` for iouType 'keypoints'). */
export interface OksMetrics {
  readonly AP: number;
  readonly AP50: number;
  readonly AP75: number;
  readonly APm: number;
  readonly APl: number;
  readonly AR: number;
  readonly AR50: number;
  readonly AR75: number;
  readonly ARm: number;
  readonly ARl: number;
}

/** OKS thresholds .50:.05:.95. */
export const OKS_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => 0.5 + 0.05 * i);
const RECALL_POINTS = Array.from({ length: 101 }, (_, i) => i / 100);
const AREA_RANGES = { all: [0, 1e10], medium: [32 ** 2, 96 ** 2], large: [96 ** 2, 1e10] } as const;
const MAX_DETECTIONS = 20;

/**
 * COCO keypoint evaluation (Lin et al. 2014; pycocotools `COCOeval` with iouType 'keypoints', one
 * category, maxDets 20): per image, detections in decreasing score are greedily matched to the unmatched
 * ground truth of highest OKS ≥ t (non-ignored first), for t ∈ .50:.05:.95; precision is made monotone
 * and read at the 101 recall points 0:.01:1; AP is its mean over those points and thresholds, AR the
 * mean final recall over thresholds. AP_m/AP_l restrict ground truth and unmatched detections to areas
 * 32²–96² / > 96². Returns −1 where no ground truth exists (as COCOeval does).
 */
export function evaluateOks(
  groundTruth: readonly OksGroundTruth[],
  detections: readonly OksDetection[],
  sigmas: readonly number[] = COCO_OKS_SIGMAS,
): OksMetrics {
  const imageIds = [...new Set([...groundTruth.map((g) => g.imageId), ...detections.map((d) => d.imageId)])];
  const truthByImage = groupBy(groundTruth, (g) => g.imageId);
  const detectionsByImage = groupBy(detections, (d) => d.imageId);
  const similarities = new Map<number, number[][]>();
  for (const imageId of imageIds) {
    const truths = truthByImage.get(imageId) ?? [];
    const dets = sortedDetections(detectionsByImage.get(imageId) ?? []);
    similarities.set(imageId, dets.map((d) => truths.map((g) => objectKeypointSimilarity(d.keypoints, g, sigmas))));
  }

  const summary = (range: keyof typeof AREA_RANGES) => {
    const evaluated = imageIds.map((imageId) =>
      evaluateImage(truthByImage.get(imageId) ?? [], detectionsByImage.get(imageId) ?? [], similarities.get(imageId)!, AREA_RANGES[range]),
    );
    return accumulate(evaluated);
  };
  const all = summary('all');
  const medium = summary('medium');
  const large = summary('large');
  const at = (values: number[][], t: number) => meanValid(values[t]);
  return {
    AP: meanValid(all.precision.flat()),
    AP50: at(all.precision, 0),
    AP75: at(all.precision, 5),
    APm: meanValid(medium.precision.flat()),
    APl: meanValid(large.precision.flat()),
    AR: meanValid(all.recall),
    AR50: all.recall[0],
    AR75: all.recall[5],
    ARm: meanValid(medium.recall),
    ARl: meanValid(large.recall),
  };
}

interface ImageEvaluation {
  /** [T][D] matched (1) or not. */
  readonly matched: Uint8Array[];
  /** [T][D] detection ignored. */
  readonly ignored: Uint8Array[];
  readonly scores: number[];
  readonly nonIgnoredTruths: number;
}

function evaluateImage(
  truths: readonly OksGroundTruth[],
  unsortedDetections: readonly OksDetection[],
  similarityBySortedDetection: number[][],
  areaRange: readonly [number, number],
): ImageEvaluation {
  const truthIgnored = truths.map((g) => (g.ignore || g.isCrowd || g.area < areaRange[0] || g.area > areaRange[1] ? 1 : 0));
  // Non-ignored ground truth first, stable (COCOeval sorts by the ignore flag with mergesort).
  const truthOrder = truths.map((_, i) => i).sort((a, b) => truthIgnored[a] - truthIgnored[b]);
  const dets = sortedDetections(unsortedDetections).slice(0, MAX_DETECTIONS);
  const matched = OKS_THRESHOLDS.map(() => new Uint8Array(dets.length));
  const ignored = OKS_THRESHOLDS.map(() => new Uint8Array(dets.length));
  OKS_THRESHOLDS.forEach((threshold, t) => {
    const truthTaken = new Uint8Array(truths.length);
    dets.forEach((_, d) => {
      let best = Math.min(threshold, 1 - 1e-10);
      let match = -1;
      for (const g of truthOrder) {
        if (truthTaken[g] && !truths[g].isCrowd) continue;
        if (match > -1 && truthIgnored[match] === 0 && truthIgnored[g] === 1) break;
        const similarity = similarityBySortedDetection[d][g];
        if (similarity < best) continue;
        best = similarity;
        match = g;
      }
      if (match === -1) return;
      matched[t][d] = 1;
      ignored[t][d] = truthIgnored[match];
      truthTaken[match] = 1;
    });
    dets.forEach((det, d) => {
      if (matched[t][d]) return;
      const area = detectionArea(det.keypoints);
      if (area < areaRange[0] || area > areaRange[1]) ignored[t][d] = 1;
    });
  });
  return { matched, ignored, scores: dets.map((d) => d.score), nonIgnoredTruths: truthIgnored.filter((v) => v === 0).length };
}

function accumulate(images: readonly ImageEvaluation[]): { precision: number[][]; recall: number[] } {
  const totalTruths = images.reduce((sum, e) => sum + e.nonIgnoredTruths, 0);
  const entries = images.flatMap((e) => e.scores.map((score, d) => ({ score, image: e, d })));
  // Stable descending sort by score (COCOeval uses mergesort on −score).
  const order = entries.map((_, i) => i).sort((a, b) => entries[b].score - entries[a].score || a - b);
  const precision: number[][] = [];
  const recall: number[] = [];
  OKS_THRESHOLDS.forEach((_, t) => {
    if (totalTruths === 0) {
      precision.push(RECALL_POINTS.map(() => -1));
      recall.push(-1);
      return;
    }
    const rc: number[] = [];
    const pr: number[] = [];
    let tp = 0;
    let fp = 0;
    for (const i of order) {
      const { image, d } = entries[i];
      if (image.ignored[t][d]) continue;
      if (image.matched[t][d]) tp++;
      else fp++;
      rc.push(tp / totalTruths);
      pr.push(tp / (tp + fp + Number.EPSILON));
    }
    recall.push(rc.length > 0 ? rc[rc.length - 1] : 0);
    for (let i = pr.length - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
    precision.push(
      RECALL_POINTS.map((r) => {
        const index = lowerBound(rc, r);
        return index < pr.length ? pr[index] : 0;
      }),
    );
  });
  return { precision, recall };
}

/** Keypoint detections get the area of their keypoints' bounding box (pycocotools `loadRes`). */
function detectionArea(keypoints: ArrayLike<number>): number {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < keypoints.length; i += 3) {
    minX = Math.min(minX, keypoints[i]);
    maxX = Math.max(maxX, keypoints[i]);
    minY = Math.min(minY, keypoints[i + 1]);
    maxY = Math.max(maxY, keypoints[i + 1]);
  }
  return (maxX - minX) * (maxY - minY);
}

function sortedDetections(dets: readonly OksDetection[]): OksDetection[] {
  return dets
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map(({ d }) => d);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function meanValid(values: readonly number[]): number {
  const valid = values.filter((v) => v > -1);
  return valid.length === 0 ? -1 : valid.reduce((a, b) => a + b, 0) / valid.length;
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
