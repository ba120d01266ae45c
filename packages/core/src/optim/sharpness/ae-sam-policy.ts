import type { SamStepPolicy } from './sometimes-sam';

/**
 * AE-SAM (Jiang et al. 2023, "An Adaptive Policy to Employ Sharpness-Aware Minimization"): keep
 * exponential moving estimates μ, σ² of ‖g‖²; a step is a SAM step when ‖g‖² ≥ μ + c·σ.
 * μ ← δμ + (1−δ)‖g‖², σ² ← δσ² + (1−δ)(‖g‖² − μ)². The first step always uses SAM.
 */
/** What an {@link AeSamPolicy} checkpoint holds: the moving estimates of ‖g‖² and the step count. */
export interface AeSamPolicyState {
  readonly mean: number;
  readonly variance: number;
  readonly steps: number;
}

export class AeSamPolicy implements SamStepPolicy<AeSamPolicyState> {
  readonly name = 'ae-sam';
  private mean = 0;
  private variance = 0;
  private steps = 0;

  constructor(
    readonly threshold = 0,
    readonly decay = 0.9,
  ) {}

  shouldPerturb(gradientNormSquared: number): boolean {
    if (this.steps === 0) {
      this.mean = gradientNormSquared;
      this.steps++;
      return true;
    }
    const sharp = gradientNormSquared >= this.mean + this.threshold * Math.sqrt(this.variance);
    const d = this.decay;
    this.mean = d * this.mean + (1 - d) * gradientNormSquared;
    this.variance = d * this.variance + (1 - d) * (gradientNormSquared - this.mean) ** 2;
    this.steps++;
    return sharp;
  }

  state(): AeSamPolicyState {
    return { mean: this.mean, variance: this.variance, steps: this.steps };
  }

  load(state: AeSamPolicyState): void {
    this.mean = state.mean;
    this.variance = state.variance;
    this.steps = state.steps;
  }
}
