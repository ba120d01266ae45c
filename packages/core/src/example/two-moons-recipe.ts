import { TwoMoonsTask } from './two-moons-task';

/**
 * A replica recipe's factory for the two-moons example ({@link ReplicaRecipe}):
 * `{ module: <this file>, exportName: 'createTwoMoonsTask', options: { seed, hidden } }`.
 */
export function createTwoMoonsTask(options: { seed: number; hidden?: number }): TwoMoonsTask {
  return new TwoMoonsTask(options.seed, options.hidden);
}
