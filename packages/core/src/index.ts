import './backend/register-gradients';
export { selectBackend } from './backend/select-backend';
export type { BackendName, BackendChoice } from './backend/select-backend';
export { registerWasmTrainingKernels } from './backend/wasm-kernels';
export { Rng } from './random/rng';
export type { Batch, Dataset, EvaluateOptions, ForwardMode, Task, TrainableModel } from './task/contracts';
export { TaskContractError } from './task/task-contract-error';
export { selectRows } from './task/select-rows';
export * from './nn';

export type { BaseOptimizer, OptimizerState } from './optim/base/base-optimizer';
export { Sgd, type SgdOptions } from './optim/base/sgd';
export { AdamW, type AdamWOptions } from './optim/base/adamw';
export type { LearningRateSchedule } from './optim/schedule/learning-rate-schedule';
export {
  buildSchedule,
  constantSchedule,
  cosineSchedule,
  multiStepSchedule,
  stepSchedule,
  withLinearWarmup,
  type ScheduleSpec,
} from './optim/schedule/schedules';

export type { SharpnessOptimizer, StepInput, StepResult } from './optim/sharpness/sharpness-optimizer';
export { EVALUATION, FIRST_PASS, PERTURBED_PASS, lossAndGradients, meanLoss } from './optim/sharpness/loss-and-gradients';
export { Perturbation, type PerturbationOptions } from './optim/sharpness/perturbation';
export { PlainStep } from './optim/sharpness/plain-step';
export { Sam } from './optim/sharpness/sam';
export { SometimesSam, type SamStepPolicy } from './optim/sharpness/sometimes-sam';
export { SsSamPolicy } from './optim/sharpness/ss-sam-policy';
export { AeSamPolicy } from './optim/sharpness/ae-sam-policy';
export { LookSam, type LookSamOptions } from './optim/sharpness/look-sam';
export { Esam, type EsamOptions } from './optim/sharpness/esam';

export type { BatchSelection, DataSampler, EpochPlan } from './sampling/data-sampler';
export { ScoreStore, type ScoreStoreState } from './sampling/score-store';
export { AusamSampler, DEFAULT_TRANSITION_FRACTION, type AusamOptions, type AusamSamplerState } from './sampling/ausam-sampler';
export { ausamBatchProbabilities } from './sampling/ausam-probabilities';
export { AdlpStore, type AdlpStoreState } from './sampling/adlp-store';
export { selectivityCeiling, type SelectivitySchedule } from './sampling/selectivity-schedule';
export { subsetSize } from './sampling/subset-size';
export { UniformSubsetSampler } from './sampling/uniform-subset-sampler';
export { InfoBatchSampler, type InfoBatchOptions } from './sampling/info-batch-sampler';
export { FullDataSampler } from './sampling/full-data-sampler';
export { weightedSampleWithoutReplacement } from './sampling/weighted-selection';

export { train, type TrainOptions, type TrainingSummary, type EpochRecord } from './train/trainer';
export { NonFiniteLossError } from './train/non-finite-loss-error';
export { NonFiniteMetricError } from './train/non-finite-metric-error';
export { RunFolderInUseError } from './train/run-folder-in-use-error';
export { RUN_FILES } from './train/run-folder';
export { acquireRunLock, readHolder, RunLockHeldError, LOCK_FILE, type LockHolder, type RunLock } from './train/run-lock';
export { writeFileAtomic, writeJsonAtomic, readJsonRecord, RunFileError } from './train/atomic-file';
export { checkOutputPath, OutputPathError } from './train/output-path';
export { compareRunConfigs, flattenConfig, ResumeMismatchError, NothingToResumeError, RESUME_MAY_CHANGE, type ConfigMismatch } from './train/resume-check';
export { RunStoppedError, type StopSignal } from './train/stop-signals';
export { readCheckpointFile, writeCheckpointFile, CheckpointFormatError, type WriteCheckpointOptions } from './train/checkpoint-file';
export { restoreWeights, snapshotWeights } from './train/model-weights';

export { startReplicas, type ReplicaOptions, type Replicas } from './parallel/replica-pool';
export type { ReplicaRecipe } from './parallel/replica-recipe';
export { runReplicaWorker } from './parallel/replica-worker';
export { oneWasmThreadPerReplica } from './parallel/replica-threads';
export { checkReplicaCount } from './parallel/replica-count';

export { buildMethod, METHOD_NAMES, DEFAULT_BASE, type MethodName, type MethodSpec, type BuiltMethod, type BaseOptimizerSpec } from './methods/build-method';

export { TwoMoonsDataset, type PointBatch } from './example/two-moons-dataset';
export { TwoMoonsTask } from './example/two-moons-task';

export {
  ConfigError,
  parseConfig,
  readJsonFile,
  methodSchema,
  scheduleSchema,
  baseOptimizerSchema,
  trainingSectionSchema,
} from './config/training-config';
export type { FlagPaths } from './config/config-shape';
