/** Why a state dict does not fit a model. */
export type WeightImportProblem = 'missing' | 'shape' | 'unexpected';

/**
 * A state dict that does not fit the model: names the first tensor that is missing, mis-shaped,
 * or (strict mode) unused, with the variable it was for and the expected vs found shape.
 */
export class WeightImportError extends Error {
  constructor(
    readonly problem: WeightImportProblem,
    /** The state_dict key (after any rename). */
    readonly key: string,
    readonly source: string,
    /** Our variable's name (absent for an unexpected key). */
    readonly variable?: string,
    readonly expectedShape?: readonly number[],
    readonly foundShape?: readonly number[],
  ) {
    super(message(problem, key, source, variable, expectedShape, foundShape));
    this.name = 'WeightImportError';
  }
}

function message(
  problem: WeightImportProblem,
  key: string,
  source: string,
  variable?: string,
  expected?: readonly number[],
  found?: readonly number[],
): string {
  const shape = (s?: readonly number[]) => `[${(s ?? []).join(', ')}]`;
  switch (problem) {
    case 'missing':
      return `${source}: tensor '${key}' (for ${variable}, shape ${shape(expected)} in PyTorch's layout) is missing`;
    case 'shape':
      return `${source}: tensor '${key}' (for ${variable}) has shape ${shape(found)}, expected ${shape(expected)} in PyTorch's layout`;
    case 'unexpected':
      return `${source}: tensor '${key}' matches no variable of the model (pass strict: false to ignore it)`;
  }
}
