export { ClassificationTask, crossEntropy } from './classification-task';
export type { ClassificationTaskConfig } from './classification-task';
export { createClassificationReplicaTask, type ClassificationReplicaOptions } from './replica-task';
