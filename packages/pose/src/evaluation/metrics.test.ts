import { MPII_SKELETON, COCO_OKS_SIGMAS } from '../data/skeletons';
import type { OksDetection, OksGroundTruth } from './coco-oks';
import { evaluateOks, objectKeypointSimilarity } from './coco-oks';
import { computePckh } from './pckh';
import { computePoseMetrics } from './pose-metrics';

describe('PCKh', () => {
  const n = 4;
  const k = 16;
  const truth = Float32Array.from({ length: n * k * 2 }, (_, i) => 10 + i);
  const visibility = new Float32Array(n * k).fill(1);
  const headSizes = Float32Array.of(10, 20, 10, 20);

  it('is 100 for perfect predictions', () => {
    const metrics = computePoseMetrics(MPII_SKELETON, truth, new Float32Array(n * k), {
      centers: new Float32Array(2 * n),
      scales: new Float32Array(2 * n).fill(1),
      joints: truth,
      visibility,
      headSizes,
      areas: new Float32Array(n).fill(NaN),
      imageIds: new Float64Array(n).fill(NaN),
    });
    expect(metrics.pckh).toBe(100);
    expect(metrics.pckh_r_ankle).toBe(100);
    expect(metrics.pckh_l_wrist).toBe(100);
  });

  it('counts a known offset: 0.4·head size passes, 0.6·head size fails', () => {
    // samples 0, 1 off by 0.4 h along x; samples 2, 3 off by 0.6 h along y
    const predicted = truth.slice();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const at = 2 * (i * k + j);
        if (i < 2) predicted[at] += 0.4 * headSizes[i];
        else predicted[at + 1] -= 0.6 * headSizes[i];
      }
    }
    const result = computePckh(predicted, truth, visibility, headSizes);
    expect(result.mean).toBe(50);
    expect(result.perJoint.every((p) => p === 50)).toBe(true);
    expect(computePckh(predicted, truth, visibility, headSizes, { threshold: 0.7 }).mean).toBe(100);
  });

  it('skips unannotated joints and leaves excluded joints out of the weighted mean', () => {
    const predicted = truth.slice();
    // pelvis (6) always wrong; r_ankle (0) wrong in sample 0 only, which is unannotated there
    for (let i = 0; i < n; i++) predicted[2 * (i * k + 6)] += 100;
    predicted[0] += 100;
    const vis = visibility.slice();
    vis[0] = 0;
    const result = computePckh(predicted, truth, vis, headSizes, { excludeFromMean: [6, 7] });
    expect(result.perJoint[6]).toBe(0);
    expect(result.perJoint[0]).toBe(100);
    expect(result.counts[0]).toBe(3);
    expect(result.mean).toBe(100);
  });
});

describe('COCO OKS evaluation', () => {
  const person = (imageId: number, dx = 0): { truth: OksGroundTruth; keypoints: Float32Array } => {
    const keypoints = new Float32Array(17 * 3);
    for (let j = 0; j < 17; j++) keypoints.set([100 + 10 * j, 50 + 5 * j, j % 4 === 0 ? 1 : 2], 3 * j);
    const detected = new Float32Array(17 * 3);
    for (let j = 0; j < 17; j++) detected.set([keypoints[3 * j] + dx, keypoints[3 * j + 1], 0.9], 3 * j);
    return { truth: { imageId, keypoints, area: 5000, bbox: [90, 40, 200, 100] }, keypoints: detected };
  };

  it('OKS follows exp(−d² / (2·s²·(2κ)²)) averaged over labelled joints', () => {
    const { truth } = person(1);
    const detected = Float32Array.from(truth.keypoints as Float32Array);
    detected[0] += 3; // nose off by 3 px
    const expected = (16 + Math.exp(-9 / (2 * 5000 * (2 * COCO_OKS_SIGMAS[0]) ** 2))) / 17;
    expect(objectKeypointSimilarity(detected, truth)).toBeCloseTo(expected, 9);
  });

  it('perfect predictions give AP = AR = 1', () => {
    const people = [person(1), person(1, 400), person(2)];
    const detections: OksDetection[] = people.map((p, i) => ({ imageId: p.truth.imageId, keypoints: p.truth.keypoints, score: 0.5 + 0.1 * i }));
    const metrics = evaluateOks(people.map((p) => p.truth), detections);
    expect(metrics.AP).toBeCloseTo(1, 9);
    expect(metrics.AP50).toBeCloseTo(1, 9);
    expect(metrics.AP75).toBeCloseTo(1, 9);
    expect(metrics.AR).toBeCloseTo(1, 9);
    // areas of 5000 px² are "medium": no large ground truth → −1 as COCOeval reports
    expect(metrics.APl).toBe(-1);
    expect(metrics.APm).toBeCloseTo(1, 9);
  });

  it('an offset giving OKS ≈ 0.72 passes thresholds .50–.70 only: AP = 0.5, AP50 = 1, AP75 = 0', () => {
    const { truth } = person(1);
    // uniform offset d on every joint: solve mean_j exp(−d² / (2·A·(2κ_j)²)) = 0.72 by bisection
    const oksAt = (d: number) => {
      const detected = Float32Array.from(truth.keypoints as Float32Array);
      for (let j = 0; j < 17; j++) detected[3 * j] += d;
      return { oks: objectKeypointSimilarity(detected, truth), detected };
    };
    let lo = 0;
    let hi = 50;
    for (let step = 0; step < 60; step++) {
      const mid = (lo + hi) / 2;
      if (oksAt(mid).oks > 0.72) lo = mid;
      else hi = mid;
    }
    const { oks, detected } = oksAt(lo);
    expect(oks).toBeCloseTo(0.72, 6);
    const metrics = evaluateOks([truth], [{ imageId: 1, keypoints: detected, score: 1 }]);
    expect(metrics.AP).toBeCloseTo(0.5, 9);
    expect(metrics.AP50).toBeCloseTo(1, 9);
    expect(metrics.AP75).toBe(0);
    expect(metrics.AR).toBeCloseTo(0.5, 9);
  });

  it('a higher-scored detection matching nothing costs precision: AP = 51/101 with recall 1/2', () => {
    const a = person(1);
    const b = person(1, 400);
    const far = person(1, 2000);
    const metrics = evaluateOks(
      [a.truth, b.truth],
      [
        { imageId: 1, keypoints: a.truth.keypoints, score: 0.9 },
        { imageId: 1, keypoints: far.keypoints, score: 0.8 },
      ],
    );
    expect(metrics.AP).toBeCloseTo(51 / 101, 9);
    expect(metrics.AR).toBeCloseTo(0.5, 9);
  });
});
