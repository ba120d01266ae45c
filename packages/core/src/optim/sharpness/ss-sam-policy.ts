import { Rng } from '../../random/rng';
import type { SamStepPolicy } from './sometimes-sam';

/**
 * SS-SAM (Zhao, Zhang & Hu 2022, "SS-SAM: Stochastic Scheduled Sharpness-Aware Minimization"):
 * each step is a SAM step with probability p, a base step otherwise (a Bernoulli trial).
 */
export class SsSamPolicy implements SamStepPolicy {
  readonly name = 'ss-sam';
  private readonly rng: Rng;

  constructor(
    readonly samProbability: number,
    seed: number,
  ) {
    if (!(samProbability >= 0 && samProbability <= 1)) {
      throw new RangeError(`SS-SAM: probability must be in [0, 1], found ${samProbability}`);
    }
    this.rng = new Rng(seed);
  }

  shouldPerturb(): boolean {
    return this.rng.next() < this.samProbability;
  }

  state(): unknown {
    return { rng: this.rng.state() };
  }

  load(state: unknown): void {
    this.rng.load((state as { rng: number[] }).rng);
  }
}
