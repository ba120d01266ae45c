import type { PoseAnnotation } from '../data/pose-annotation';
import { metaOf } from '../data/pose-batch';
import type { Skeleton } from '../data/skeletons';
import { computePoseMetrics } from './pose-metrics';

/**
 * The mean training pose in box-normalised coordinates: per joint, the average over annotated
 * training samples of ((x − c_x) / (200·s_x), (y − c_y) / (200·s_y)). [K·2]
 */
export function meanNormalizedPose(train: readonly PoseAnnotation[], jointCount: number): Float32Array {
  const sums = new Float64Array(2 * jointCount);
  const counts = new Float64Array(jointCount);
  for (const a of train) {
    for (let j = 0; j < jointCount; j++) {
      if (a.visibility[j] <= 0) continue;
      sums[2 * j] += (a.joints[2 * j] - a.center[0]) / (200 * a.scale[0]);
      sums[2 * j + 1] += (a.joints[2 * j + 1] - a.center[1]) / (200 * a.scale[1]);
      counts[j]++;
    }
  }
  return Float32Array.from(sums, (sum, i) => (counts[i >> 1] > 0 ? sum / counts[i >> 1] : 0));
}

/**
 * The baseline a pose model has to beat: predict the training set's mean box-normalised pose, placed in
 * each evaluation sample's box, for every sample. Returns the split's metrics (PCKh for MPII, OKS AP for
 * COCO; every joint gets confidence 1).
 */
export function meanPoseBaseline(train: readonly PoseAnnotation[], evaluation: readonly PoseAnnotation[], skeleton: Skeleton): Record<string, number> {
  const k = skeleton.jointNames.length;
  const mean = meanNormalizedPose(train, k);
  const predicted = new Float32Array(evaluation.length * k * 2);
  evaluation.forEach((a, i) => {
    for (let j = 0; j < k; j++) {
      predicted[2 * (i * k + j)] = a.center[0] + mean[2 * j] * 200 * a.scale[0];
      predicted[2 * (i * k + j) + 1] = a.center[1] + mean[2 * j + 1] * 200 * a.scale[1];
    }
  });
  return computePoseMetrics(skeleton, predicted, new Float32Array(evaluation.length * k).fill(1), metaOf(evaluation));
}
