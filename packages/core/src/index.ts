/**
 * @ausam/core — SAM/ASAM and peers, the AUSAM sampler, the trainer and the task contract for
 * TensorFlow.js. Grouped by what a user reaches for; internals (kernel registration, the replica
 * thread's entry, loss helpers) are behind `@ausam/core/internal`.
 */
// The entry point registers tfjs-core's gradients once (its CommonJS build ships none).
import './runtime/backend/register-gradients';

// ── Methods: sharpness-aware optimizers, their base optimizers and schedules ──
export { buildMethod, METHOD_NAMES, DEFAULT_BASE, type MethodName, type MethodSpec, type BuiltMethod, type BaseOptimizerSpec } from './methods/build-method';
export type { SharpnessOptimizer, StepInput, StepResult, BaseOnlyState } from './optim/sharpness/sharpness-optimizer';
export { Sam, type SamState } from './optim/sharpness/sam';
export { PlainStep, type PlainStepState } from './optim/sharpness/plain-step';
export { Perturbation, type PerturbationOptions } from './optim/sharpness/perturbation';
export { SometimesSam, type SamStepPolicy, type SometimesSamState } from './optim/sharpness/sometimes-sam';
export { SsSamPolicy, type SsSamPolicyState } from './optim/sharpness/ss-sam-policy';
export { AeSamPolicy, type AeSamPolicyState } from './optim/sharpness/ae-sam-policy';
export { LookSam, type LookSamOptions, type LookSamState } from './optim/sharpness/look-sam';
export { Esam, type EsamOptions, type EsamState } from './optim/sharpness/esam';
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

// ── Passes: how a step computes its losses and gradients ──
export type { Passes, LossAndGradients } from './passes/passes';
export { localPasses } from './passes/local-passes';
export { EVALUATION, FIRST_PASS, PERTURBED_PASS } from './passes/forward-modes';

// ── Samplers: which samples each step trains on ──
export type { BatchSelection, DataSampler, EpochPlan, StatelessSamplerState } from './sampling/data-sampler';
export { AusamSampler, DEFAULT_TRANSITION_FRACTION, type AusamOptions, type AusamSamplerState } from './sampling/ausam-sampler';
export { ausamBatchProbabilities } from './sampling/ausam-probabilities';
export { AdlpStore, type AdlpStoreState } from './sampling/adlp-store';
export { selectivityCeiling, type SelectivitySchedule } from './sampling/selectivity-schedule';
export { subsetSize } from './sampling/subset-size';
export { UniformSubsetSampler } from './sampling/uniform-subset-sampler';
export { InfoBatchSampler, type InfoBatchOptions, type InfoBatchSamplerState } from './sampling/info-batch-sampler';
export { FullDataSampler } from './sampling/full-data-sampler';
export { ScoreStore, type ScoreStoreState } from './sampling/score-store';
export { weightedSampleWithoutReplacement } from './sampling/weighted-selection';

// ── Trainer and experiment runner ──
export { train, type TrainOptions, type TrainingSummary, type EpochRecord } from './train/trainer';
export { runExperiment, type ExperimentConfig, type ExperimentParts, type RunExperimentOptions } from './experiment/run-experiment';
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

// ── Task contract: what a task package implements, and its building blocks ──
export type { Batch, Dataset, EvaluateOptions, BatchStatisticsReducer, ForwardMode, Task, TrainableModel } from './task/contracts';
export { TaskContractError } from './task/task-contract-error';
export { selectRows } from './task/select-rows';
export { Rng } from './random/rng';
export * from './nn';

// ── Config: run configs as validated data ──
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

// ── Runtime: backend, threads and data-parallel replicas ──
export { prepareRuntime, type Runtime, type RuntimeOptions } from './runtime/prepare-runtime';
export { selectBackend, type BackendName, type BackendChoice, type SelectBackendOptions } from './runtime/backend/select-backend';
export { enableRelaxedSimd } from './runtime/backend/wasm-kernels/native/build-variant';
export { startReplicas, type ReplicaOptions, type Replicas } from './runtime/parallel/replica-pool';
export type { ReplicaRecipe } from './runtime/parallel/replica-recipe';
export { checkReplicaCount } from './runtime/parallel/replica-count';

// ── A small example task (the README's and the plugin guide's) ──
export { TwoMoonsDataset, type PointBatch } from './example/two-moons-dataset';
export { TwoMoonsTask } from './example/two-moons-task';
