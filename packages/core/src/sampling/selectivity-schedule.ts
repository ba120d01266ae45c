/** How selective AUSAM's sampling is, epoch by epoch (ajiaaa/AUSAM, `train.py`: `fmax_`). */
export interface SelectivitySchedule {
  /** Floor of the rescaled ADLP (`--fmin`, default 0.1). */
  fMin: number;
  /** Ceiling reached after the transition (`--fmax`, default 0.5): p_max/p_min ≤ fMax/fMin. */
  fMax: number;
  /** Epoch at which the ceiling starts to rise from fMin (`--start_epoch`, default 0). */
  startEpoch: number;
  /** Epochs over which it rises linearly to fMax (`--trans_epoch`, 30 of 200); may be fractional. */
  transitionEpochs: number;
}

/**
 * The ceiling f_max(e) of epoch e: fMin at `startEpoch`, rising linearly to fMax over
 * `transitionEpochs`, then fMax (the authors' f_max − ((start + T − e)/T)(f_max − f_min) for
 * start ≤ e ≤ start + T). Before `startEpoch` it stays at fMin, where the authors' formula would go
 * below fMin and invert the preference (docs/algorithm.md, "deviations").
 */
export function selectivityCeiling(schedule: SelectivitySchedule, epoch: number): number {
  const { fMin, fMax, startEpoch, transitionEpochs } = schedule;
  if (transitionEpochs <= 0) return epoch >= startEpoch ? fMax : fMin;
  const progress = Math.min(1, Math.max(0, (epoch - startEpoch) / transitionEpochs));
  return fMin + progress * (fMax - fMin);
}
