/** Learning rate as a function of training progress measured in (fractional) epochs. */
export interface LearningRateSchedule {
  /** `epoch` is fractional: epoch e, step s of n → e + s/n. */
  at(epoch: number): number;
}
