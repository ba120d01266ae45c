import type { LearningRateSchedule } from './learning-rate-schedule';

/** Constant learning rate. */
export function constantSchedule(value: number): LearningRateSchedule {
  return { at: () => value };
}

/** η·γ^⌊epoch/stepSize⌋ (PyTorch StepLR, stepped per epoch). */
export function stepSchedule(base: number, stepSizeEpochs: number, gamma = 0.1): LearningRateSchedule {
  return { at: (epoch) => base * gamma ** Math.floor(epoch / stepSizeEpochs) };
}

/** η·γ^(number of milestones ≤ epoch) (PyTorch MultiStepLR). */
export function multiStepSchedule(base: number, milestones: readonly number[], gamma = 0.1): LearningRateSchedule {
  const sorted = [...milestones].sort((a, b) => a - b);
  return { at: (epoch) => base * gamma ** sorted.filter((m) => m <= Math.floor(epoch)).length };
}

/** η_min + (η − η_min)(1 + cos(π·epoch/T))/2, evaluated per step (fractional epochs). */
export function cosineSchedule(base: number, totalEpochs: number, minimum = 0): LearningRateSchedule {
  return {
    at: (epoch) => minimum + ((base - minimum) * (1 + Math.cos((Math.PI * Math.min(epoch, totalEpochs)) / totalEpochs))) / 2,
  };
}

/** Linear ramp from 0 to the inner schedule's value over `warmupEpochs`, then the inner schedule. */
export function withLinearWarmup(inner: LearningRateSchedule, warmupEpochs: number): LearningRateSchedule {
  return { at: (epoch) => (epoch < warmupEpochs ? (inner.at(epoch) * epoch) / warmupEpochs : inner.at(epoch)) };
}

/** A schedule from its plain-data description (as written in run configs). */
export type ScheduleSpec =
  | { kind: 'constant'; lr: number }
  | { kind: 'step'; lr: number; stepSizeEpochs: number; gamma?: number; warmupEpochs?: number }
  | { kind: 'multistep'; lr: number; milestones: number[]; gamma?: number; warmupEpochs?: number }
  | { kind: 'cosine'; lr: number; minimum?: number; warmupEpochs?: number };

export function buildSchedule(spec: ScheduleSpec, totalEpochs: number): LearningRateSchedule {
  let schedule: LearningRateSchedule;
  switch (spec.kind) {
    case 'constant':
      return constantSchedule(spec.lr);
    case 'step':
      schedule = stepSchedule(spec.lr, spec.stepSizeEpochs, spec.gamma);
      break;
    case 'multistep':
      schedule = multiStepSchedule(spec.lr, spec.milestones, spec.gamma);
      break;
    case 'cosine':
      schedule = cosineSchedule(spec.lr, totalEpochs, spec.minimum);
      break;
    default:
      throw new Error(`learning-rate schedule: expected kind constant|step|multistep|cosine, found '${(spec as { kind: string }).kind}'`);
  }
  return spec.warmupEpochs ? withLinearWarmup(schedule, spec.warmupEpochs) : schedule;
}
