/**
 * A task, dataset or sampler broke core's contract (`task/contracts.ts`): names the method, what
 * core expected and what it found, e.g.
 * `TaskContractError: two-moons: Task.perSampleLoss: expected a loss of shape [32] (one per batch id), found shape []`.
 */
export class TaskContractError extends Error {
  constructor(
    /** Where: the task's name and the method, e.g. `two-moons: Task.perSampleLoss`. */
    readonly method: string,
    readonly expected: string,
    readonly found: string,
    hint?: string,
  ) {
    super(`${method}: expected ${expected}, found ${found}${hint ? ` — ${hint}` : ''}`);
    this.name = 'TaskContractError';
  }
}
