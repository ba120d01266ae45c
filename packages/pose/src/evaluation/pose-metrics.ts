import type { PoseBatchMeta } from '../data/pose-batch';
import type { Skeleton } from '../data/skeletons';
import { COCO_OKS_SIGMAS } from '../data/skeletons';
import type { OksDetection, OksGroundTruth } from './coco-oks';
import { evaluateOks } from './coco-oks';
import { MPII_MEAN_EXCLUDED_JOINTS, computePckh } from './pckh';

/** HRNet's `in_vis_thre`: joints whose heatmap maximum exceeds it count toward the person's score. */
export const JOINT_CONFIDENCE_THRESHOLD = 0.2;

/**
 * The SimCC authors' `IN_VIS_THRE` for their COCO configs: a joint's confidence there is a softmax
 * maximum over hundreds of bins, far below a heatmap peak.
 */
export const SIMCC_JOINT_CONFIDENCE_THRESHOLD = 0.01;

/**
 * The metric of the skeleton's dataset family, from predictions in original image pixels:
 * - MPII: `pckh` (PCKh@0.5 mean, HRNet/MPII style), `pckh_<joint>` for each joint, `pckh_at_0.1`;
 * - COCO: `ap`, `ap50`, `ap75`, `ap_m`, `ap_l`, `ar`, `ar50`, `ar75`, `ar_m`, `ar_l` (OKS, ground-truth
 *   boxes: one detection per evaluated person, scored as HRNet does by the mean confidence of its joints
 *   above `jointConfidenceThreshold` (default {@link JOINT_CONFIDENCE_THRESHOLD}); no OKS-NMS is needed with one detection per person).
 * @param predicted [N·K·2] image pixels; confidences [N·K]
 */
export function computePoseMetrics(
  skeleton: Skeleton,
  predicted: Float32Array,
  confidences: Float32Array,
  meta: PoseBatchMeta,
  options: { pckhThreshold?: number; jointConfidenceThreshold?: number } = {},
): Record<string, number> {
  return skeleton.kind === 'mpii'
    ? mpiiMetrics(skeleton, predicted, meta, options.pckhThreshold ?? 0.5)
    : cocoMetrics(skeleton, predicted, confidences, meta, options.jointConfidenceThreshold ?? JOINT_CONFIDENCE_THRESHOLD);
}

function mpiiMetrics(skeleton: Skeleton, predicted: Float32Array, meta: PoseBatchMeta, threshold: number): Record<string, number> {
  const missing = meta.headSizes.findIndex((h) => !(h > 0));
  if (missing >= 0) {
    throw new RangeError(
      `PCKh needs a head size for every sample; sample ${missing} of the evaluated split has none (add "head_size" or "headbox" to the MPII JSON entries)`,
    );
  }
  const options = { excludeFromMean: MPII_MEAN_EXCLUDED_JOINTS };
  const main = computePckh(predicted, meta.joints, meta.visibility, meta.headSizes, { ...options, threshold });
  const strict = computePckh(predicted, meta.joints, meta.visibility, meta.headSizes, { ...options, threshold: 0.1 });
  const metrics: Record<string, number> = { pckh: main.mean, 'pckh_at_0.1': strict.mean };
  skeleton.jointNames.forEach((name, j) => {
    metrics[`pckh_${name}`] = main.perJoint[j];
  });
  return metrics;
}

function cocoMetrics(
  skeleton: Skeleton,
  predicted: Float32Array,
  confidences: Float32Array,
  meta: PoseBatchMeta,
  confidenceThreshold: number,
): Record<string, number> {
  const n = meta.headSizes.length;
  const k = skeleton.jointNames.length;
  const truths: OksGroundTruth[] = [];
  const detections: OksDetection[] = [];
  for (let i = 0; i < n; i++) {
    const imageId = Number.isNaN(meta.imageIds[i]) ? i : meta.imageIds[i];
    const truthKeypoints = new Float32Array(3 * k);
    const detected = new Float32Array(3 * k);
    let confident = 0;
    let confidenceSum = 0;
    for (let j = 0; j < k; j++) {
      const index = i * k + j;
      truthKeypoints.set([meta.joints[2 * index], meta.joints[2 * index + 1], meta.visibility[index] > 0 ? 2 : 0], 3 * j);
      detected.set([predicted[2 * index], predicted[2 * index + 1], confidences[index]], 3 * j);
      if (confidences[index] > confidenceThreshold) {
        confident++;
        confidenceSum += confidences[index];
      }
    }
    // The annotation box is the padded box; undo the 1.25 padding for COCOeval's unlabelled-person rule.
    const width = (meta.scales[2 * i] * 200) / 1.25;
    const height = (meta.scales[2 * i + 1] * 200) / 1.25;
    const area = Number.isNaN(meta.areas[i]) ? width * height : meta.areas[i];
    truths.push({ imageId, keypoints: truthKeypoints, area, bbox: [meta.centers[2 * i] - width / 2, meta.centers[2 * i + 1] - height / 2, width, height] });
    detections.push({ imageId, keypoints: detected, score: confident > 0 ? confidenceSum / confident : 0 });
  }
  const m = evaluateOks(truths, detections, k === COCO_OKS_SIGMAS.length ? COCO_OKS_SIGMAS : new Array(k).fill(0.05));
  return { ap: m.AP, ap50: m.AP50, ap75: m.AP75, ap_m: m.APm, ap_l: m.APl, ar: m.AR, ar50: m.AR50, ar75: m.AR75, ar_m: m.ARm, ar_l: m.ARl };
}
