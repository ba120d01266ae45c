import type { Batch, Task } from '../../task/contracts';

/**
 * How a replica builds its own copy of the task: `require(module)[exportName](options)`. The task it
 * returns must have the same trainable and state variables (order and shapes) as the main thread's;
 * their values do not matter, every pass sends the current ones. It needs no datasets: batches come
 * from the main thread.
 */
export interface ReplicaRecipe {
  /**
   * An absolute file path or a package name, loaded with `require` in the replica. A TypeScript file
   * (`.ts`) loads through tsx, which must be installed or be what runs this process.
   */
  readonly module: string;
  /** The export to call: `(options) => Task | Promise<Task>`. */
  readonly exportName: string;
  /** Its argument; must survive structured cloning (plain data). */
  readonly options?: unknown;
}

/** The task `recipe` describes, built in this thread. */
export async function buildReplicaTask(recipe: ReplicaRecipe): Promise<Task<Batch>> {
  let loaded: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(recipe.module);
  } catch (error) {
    throw new Error(`replica recipe: cannot load module '${recipe.module}': ${(error as Error).message}`);
  }
  const factory = loaded[recipe.exportName];
  if (typeof factory !== 'function') {
    const found = factory === undefined ? 'no such export' : `a ${typeof factory}`;
    throw new Error(`replica recipe: expected module '${recipe.module}' to export a function '${recipe.exportName}', found ${found}`);
  }
  return (await factory(recipe.options)) as Task<Batch>;
}
