// Skeletons
export { COCO_OKS_SIGMAS, COCO_SKELETON, MPII_SKELETON, flipPermutation, skeletonFor } from './data/skeletons';
export type { Skeleton } from './data/skeletons';

// Data
export { PoseDatasetFormatError } from './data/errors';
export type { PoseAnnotation } from './data/pose-annotation';
export { MPII_HEAD_SIZE_FACTOR, MPII_JOINT_COUNT, loadMpiiAnnotations } from './data/mpii-json';
export type { MpiiLoadOptions } from './data/mpii-json';
export { COCO_JOINT_COUNT, boxToCenterScale, loadCocoKeypoints } from './data/coco-keypoints';
export type { CocoLoadOptions } from './data/coco-keypoints';
export { decodeImage } from './data/decode-image';
export { PoseDataset } from './data/pose-dataset';
export type { EncodedPoseDatasetOptions, PoseDatasetOptions, PoseSampleOptions } from './data/pose-dataset';
export { metaOf, selectMeta } from './data/pose-batch';
export type { PoseBatch, PoseBatchMeta, PoseBatchOf, PoseSamples, SimccBatch } from './data/pose-batch';

// Transforms
export { composeAffine, cropTransform, horizontalFlip, invertAffine, transformPoints } from './transforms/affine';
export type { Affine, Size } from './transforms/affine';
export { IMAGENET_MEAN, IMAGENET_STD, normalizeInto, warpAffineRgb } from './transforms/warp-image';
export type { RgbImage } from './transforms/warp-image';
export { COCO_AUGMENTATION, MPII_AUGMENTATION, NO_AUGMENTATION, drawAugmentation } from './transforms/augmentation';
export type { AugmentationDraw, AugmentationOptions } from './transforms/augmentation';
export { halfBodyBox } from './transforms/half-body';

// Targets and loss
export { defaultSigma, encodeGaussianHeatmaps } from './targets/gaussian-heatmap';
export type { HeatmapEncoding } from './targets/gaussian-heatmap';
export { jointsMsePerSample } from './targets/joints-mse';
export { DEFAULT_SIMCC_SIGMA, encodeSimccLabels, simccBinCounts } from './targets/simcc-labels';
export type { SimccEncoding, SimccLabelSlots } from './targets/simcc-labels';
export { simccKlPerSample } from './targets/simcc-kl-loss';
export { heatmapTargetEncoder, simccTargetEncoder } from './targets/target-encoders';
export type { HeatmapTargets, JointsInCrop, PoseTargetEncoder, SimccTargets } from './targets/target-encoders';

// Evaluation
export { decodeHeatmaps, heatmapToImageCoordinates } from './evaluation/decode-heatmaps';
export type { DecodedJoints } from './evaluation/decode-heatmaps';
export { decodeSimcc } from './evaluation/decode-simcc';
export { MPII_MEAN_EXCLUDED_JOINTS, computePckh } from './evaluation/pckh';
export type { PckhResult } from './evaluation/pckh';
export { OKS_THRESHOLDS, evaluateOks, objectKeypointSimilarity } from './evaluation/coco-oks';
export type { OksDetection, OksGroundTruth, OksMetrics } from './evaluation/coco-oks';
export { JOINT_CONFIDENCE_THRESHOLD, SIMCC_JOINT_CONFIDENCE_THRESHOLD, computePoseMetrics } from './evaluation/pose-metrics';
export { meanNormalizedPose, meanPoseBaseline } from './evaluation/mean-pose-baseline';

// Models
export { DEFAULT_SIMCC_SPLIT_RATIO } from './models/pose-model';
export type { PoseHeadOptions, PoseModel } from './models/pose-model';
export { SimccHead } from './models/simcc-head';
export type { SimccOutput } from './models/simcc-head';
export { SimccModel, isSimccModel } from './models/simcc-model';
export type { SimccPoseModel } from './models/simcc-model';
export { HRNet, hrnetSmall, hrnetW } from './models/hrnet';
export type { HRNetConfig, HRNetStageConfig } from './models/hrnet';
export { SimpleBaseline, simpleBaselineResNet50, simpleBaselineSmall } from './models/simple-baseline';
export type { SimpleBaselineConfig } from './models/simple-baseline';
export { buildPoseModel } from './models/build-model';
export type { AnyPoseModel, PoseModelConfig } from './models/build-model';
export { countParameters } from './models/parameter-count';

// Task
export { PoseTask } from './task/pose-task';
export type { PoseTaskOptions } from './task/pose-task';
export { SimccPoseTask } from './task/simcc-pose-task';
export type { SimccPoseTaskOptions } from './task/simcc-pose-task';
export { TopDownPoseTask } from './task/top-down-pose-task';
export type { BatchPrediction, TopDownPoseTaskOptions } from './task/top-down-pose-task';

// Synthetic data
export { sampleStickFigure } from './synthetic/stick-figure';
export type { Facing, StickFigure } from './synthetic/stick-figure';
export { renderScene } from './synthetic/render-scene';
export type { SyntheticScene } from './synthetic/render-scene';
export { writeSyntheticDataset } from './synthetic/write-synthetic-dataset';
export type { MpiiJsonEntry, SyntheticDatasetOptions } from './synthetic/write-synthetic-dataset';

// Runs (what the ausam-pose CLI does)
export { MODEL_PRESETS, parseRunConfig, poseRunSchema, resolveAugmentation, resolveModelConfig } from './cli/run-config';
export type { DatasetSpec, ModelPreset, PoseRunConfig } from './cli/run-config';
export { applyOverrides, createPoseReplicaTask, loadSplit, poseTaskFor, preparePoseRun, runBaseline, runEvaluation, runTraining } from './cli/pose-run';
export type { AnyPoseBatch, PreparedPoseRun, RunOverrides } from './cli/pose-run';
