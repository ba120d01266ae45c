/**
 * The two label-smoothing conventions for a true class y among K classes and ε ∈ [0, 1):
 * - 'uniform': the target is (1 − ε)·one-hot(y) + ε/K (Szegedy et al. 2016, §7; PyTorch's
 *   `CrossEntropyLoss(label_smoothing=ε)`): the true class gets 1 − ε + ε/K, every other ε/K;
 * - 'authors': ajiaaa/AUSAM's `smooth_crossentropy` (davda54/sam's): the true class gets 1 − ε,
 *   every other ε/(K − 1), and the loss is the KL divergence KL(t ‖ softmax(z)) =
 *   Σ_k t_k·(log t_k − log p_k), cross-entropy minus the target's entropy (so a perfect fit has loss
 *   0; the gradient is cross-entropy's, softmax(z) − t).
 * With ε = 0 both are plain cross-entropy.
 */
export type LabelSmoothingForm = 'uniform' | 'authors';

/** Label smoothing ε and its convention ({@link LabelSmoothingForm}). */
export interface LabelSmoothing {
  readonly epsilon: number;
  readonly form: LabelSmoothingForm;
}

/** No smoothing. */
export const NO_LABEL_SMOOTHING: LabelSmoothing = { epsilon: 0, form: 'uniform' };

/**
 * `value` as a {@link LabelSmoothing}: a number is ε in the 'uniform' form (the older config
 * shape); undefined is none. Throws a RangeError naming `source` when ε is outside [0, 1) or the
 * form is unknown.
 */
export function resolveLabelSmoothing(value: number | LabelSmoothing | undefined, source = 'labelSmoothing'): LabelSmoothing {
  if (value === undefined) return NO_LABEL_SMOOTHING;
  const resolved: LabelSmoothing = typeof value === 'number' ? { epsilon: value, form: 'uniform' } : value;
  const { epsilon, form } = resolved;
  if (!Number.isFinite(epsilon) || epsilon < 0 || epsilon >= 1) {
    throw new RangeError(`${source}: epsilon must be in [0, 1), found ${epsilon}`);
  }
  if (form !== 'uniform' && form !== 'authors') {
    throw new RangeError(`${source}: form must be 'uniform' or 'authors', found '${String(form)}'`);
  }
  return resolved;
}

/**
 * The smoothed target of each class for `numClasses` classes: `{ trueClass, otherClass }`, and
 * `targetLogTarget` = Σ_k t_k·log t_k (0·log 0 = 0), the constant the 'authors' form adds to
 * cross-entropy (0 for 'uniform', which reports plain cross-entropy against its target).
 */
export function smoothedTargets(
  smoothing: LabelSmoothing,
  numClasses: number,
): { trueClass: number; otherClass: number; targetLogTarget: number } {
  const { epsilon, form } = smoothing;
  if (epsilon === 0) return { trueClass: 1, otherClass: 0, targetLogTarget: 0 };
  if (form === 'uniform') return { trueClass: 1 - epsilon + epsilon / numClasses, otherClass: epsilon / numClasses, targetLogTarget: 0 };
  if (numClasses < 2) throw new RangeError(`label smoothing 'authors': needs at least 2 classes for ε/(K − 1), found K = ${numClasses}`);
  const trueClass = 1 - epsilon;
  const otherClass = epsilon / (numClasses - 1);
  const targetLogTarget = trueClass * Math.log(trueClass) + (numClasses - 1) * otherClass * Math.log(otherClass);
  return { trueClass, otherClass, targetLogTarget };
}
