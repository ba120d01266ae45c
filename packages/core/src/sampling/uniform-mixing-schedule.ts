/** How fast AUSAM's sampling moves to uniform (docs/algorithm.md §6). */
export type UniformMixingSchedule =
  /** λ_e = min(1, e / (κ·(E − 1))): score-driven at the start, uniform from epoch κ·(E − 1) on. */
  | { kind: 'linear'; reachUniformAt?: number }
  /** λ_e = (1 − cos(π·min(1, e/(κ(E−1)))))/2. */
  | { kind: 'cosine'; reachUniformAt?: number }
  /** λ = 0 always: never mixed with uniform. */
  | { kind: 'none' };

/** The mixing weight λ ∈ [0, 1] toward uniform sampling at epoch `epoch` of `totalEpochs`. */
export function uniformMixingWeight(schedule: UniformMixingSchedule, epoch: number, totalEpochs: number): number {
  if (schedule.kind === 'none') return 0;
  const kappa = schedule.reachUniformAt ?? 1;
  if (!(kappa > 0 && kappa <= 1)) throw new RangeError(`reachUniformAt must be in (0, 1], found ${kappa}`);
  const span = kappa * (totalEpochs - 1);
  const progress = span <= 0 ? 1 : Math.min(1, epoch / span);
  return schedule.kind === 'linear' ? progress : (1 - Math.cos(Math.PI * progress)) / 2;
}
