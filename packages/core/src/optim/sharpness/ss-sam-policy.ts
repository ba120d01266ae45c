import { Rng } from '../../random/rng';
import type { SamStepPolicy } from './sometimes-sam';

/**
 * SS-SAM (Zhao, Zhang & Hu 2022, "SS-SAM: Stochastic Scheduled Sharpness-Aware Minimization"):
 * each step is a SAM step with probability p, a base step otherwise (a Bernoulli trial).
 */
/** What an {@link SsSamPolicy} checkpoint holds: its Bernoulli trials' random stream. */
export interface SsSamPolicyState {
  readonly rng: number[];
}

export class SsSamPolicy implements SamStepPolicy<SsSamPolicyState> {
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

  state(): SsSamPolicyState {
    return { rng: this.rng.state() };
  }

  load(state: SsSamPolicyState): void {
    this.rng.load(state.rng);
  }
}
