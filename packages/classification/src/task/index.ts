export { ClassificationTask, crossEntropy } from './classification-task';
export type { ClassificationTaskConfig } from './classification-task';
export { createClassificationReplicaTask, type ClassificationReplicaOptions } from './replica-task';
export { NO_LABEL_SMOOTHING, resolveLabelSmoothing, smoothedTargets } from './label-smoothing';
export type { LabelSmoothing, LabelSmoothingForm } from './label-smoothing';
