import type { ForwardMode } from '../task/contracts';

/** Training pass at the current weights that moves BatchNorm statistics (SAM's first pass, SGD). */
export const FIRST_PASS: ForwardMode = { training: true, updateStatistics: true };
/** Training pass at perturbed weights: batch statistics used, running statistics frozen. */
export const PERTURBED_PASS: ForwardMode = { training: true, updateStatistics: false };
/** Inference (`Task.evaluate`): running statistics used, nothing updated. */
export const EVALUATION: ForwardMode = { training: false, updateStatistics: false };
