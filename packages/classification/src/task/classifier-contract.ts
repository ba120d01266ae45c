import { TaskContractError } from '@ausam/core';

/**
 * Checks, when a task is built, that `model` is a classifier as this package needs it: a
 * `forward(images, mode)` function and core's `trainableVariables` / `stateVariables` lists. A
 * `tf.LayersModel` is named as such, with the adapter that takes one.
 * @throws TaskContractError naming what was found.
 */
export function checkClassifierModel(model: unknown, taskName: string): void {
  const where = `${taskName}: ClassificationTask(model)`;
  const expected = 'a ClassifierModel (forward(images, mode), trainableVariables, stateVariables), e.g. createModel(…)';
  if (model === null || typeof model !== 'object') throw new TaskContractError(where, expected, String(model));
  const candidate = model as Record<string, unknown>;
  if (typeof candidate.predict === 'function' && Array.isArray(candidate.layers)) {
    throw new TaskContractError(
      where,
      expected,
      `a tf.LayersModel ('${String(candidate.name)}')`,
      "train it with fitWithMethod / LayersModelTask from '@ausam/core/layers', or wrap it with LayersClassifier",
    );
  }
  const missing = [
    typeof candidate.forward !== 'function' ? 'forward()' : undefined,
    !Array.isArray(candidate.trainableVariables) ? 'trainableVariables' : undefined,
    !Array.isArray(candidate.stateVariables) ? 'stateVariables' : undefined,
  ].filter((m) => m !== undefined);
  if (missing.length > 0) {
    throw new TaskContractError(where, expected, `an object of class ${candidate.constructor?.name ?? 'Object'} without ${missing.join(', ')}`);
  }
}
