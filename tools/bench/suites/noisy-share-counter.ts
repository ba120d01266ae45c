import type { StepResult } from '@ausam/core';

/**
 * Counts, per run, how many of the samples each step trained on carry a noisy label, from epoch 1
 * on (after AUSAM's and InfoBatch's full first epoch) and in the last epoch alone.
 */
export class NoisyShareCounter {
  private chosen = 0;
  private noisyChosen = 0;
  private lastEpoch = -1;
  private chosenLast = 0;
  private noisyLast = 0;

  constructor(private readonly isNoisy: Uint8Array) {}

  observe(epoch: number, result: StepResult): void {
    if (epoch < 1) return;
    if (epoch !== this.lastEpoch) {
      this.lastEpoch = epoch;
      this.chosenLast = 0;
      this.noisyLast = 0;
    }
    let noisy = 0;
    for (const id of result.ids) noisy += this.isNoisy[id];
    this.chosen += result.ids.length;
    this.noisyChosen += noisy;
    this.chosenLast += result.ids.length;
    this.noisyLast += noisy;
  }

  /** Shares in [0, 1]; empty before epoch 1 has run. */
  metrics(): Record<string, number> {
    if (this.chosen === 0) return {};
    return {
      'noisy share of trained samples, epochs 2+': this.noisyChosen / this.chosen,
      'noisy share of trained samples, last epoch': this.noisyLast / this.chosenLast,
    };
  }
}
