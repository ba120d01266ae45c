import * as tf from '@tensorflow/tfjs-core';
import { globalNorm } from './tensor-lists';

export interface PerturbationOptions {
  /** Radius ρ of the neighbourhood. */
  rho: number;
  /** ASAM (Kwon et al. 2021): ε = ρ·T²g/‖Tg‖ with T = |w| + η, elementwise. */
  adaptive?: boolean;
  /** ASAM's η (default 0.01). */
  eta?: number;
}

/**
 * SAM's ascent step as a two-phase object (davda54/sam's `first_step`/`second_step`):
 * `perturb` saves w and moves to w + ε, ε = ρ·g/‖g‖ (SAM, Foret et al. 2021, Eq. 2) or the
 * ASAM form; `restore` puts back the saved w exactly (bit for bit, not w + ε − ε).
 */
export class Perturbation {
  private saved: tf.Tensor[] | null = null;
  private variables: readonly tf.Variable[] = [];
  private lastNorm = 0;

  constructor(readonly options: PerturbationOptions) {
    if (!(options.rho > 0)) throw new RangeError(`Perturbation: rho must be > 0, found ${options.rho}`);
  }

  /** ‖g‖ (or ‖Tg‖ for ASAM) of the last `perturb` call. */
  get gradientNorm(): number {
    return this.lastNorm;
  }

  perturb(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    if (this.saved) throw new Error('Perturbation.perturb: already perturbed; call restore() first');
    const { rho, adaptive } = this.options;
    const eta = this.options.eta ?? 0.01;
    this.variables = variables;
    this.saved = variables.map((v) => tf.keep(tf.clone(v)));
    tf.tidy(() => {
      const scales = adaptive ? variables.map((v) => tf.add(tf.abs(v), eta)) : null;
      const scaled = scales ? gradients.map((g, i) => tf.mul(g, scales[i])) : gradients;
      this.lastNorm = globalNorm(scaled);
      const factor = rho / (this.lastNorm + 1e-12);
      variables.forEach((v, i) => {
        const direction = scales ? tf.mul(scaled[i], scales[i]) : gradients[i];
        v.assign(tf.add(v, tf.mul(direction, factor)));
      });
    });
  }

  restore(): void {
    if (!this.saved) throw new Error('Perturbation.restore: nothing to restore; call perturb() first');
    this.variables.forEach((v, i) => v.assign(this.saved![i]));
    for (const t of this.saved) t.dispose();
    this.saved = null;
  }

  dispose(): void {
    if (this.saved) for (const t of this.saved) t.dispose();
    this.saved = null;
  }
}
