import * as os from 'node:os';

/**
 * Checks a requested replica count against what can use it: at most one replica per sample of a batch
 * (a replica with an empty slice only costs) and one per core (`os.availableParallelism()`: more
 * threads than cores only share them, while each replica holds a full copy of the model). Throws a
 * RangeError naming `label` (the flag or config key the count came from), the limit and why.
 */
export function checkReplicaCount(requested: number, batchSize: number, label = 'replicas', cores: number = os.availableParallelism()): void {
  if (!(Number.isInteger(requested) && requested >= 1)) throw new RangeError(`${label}: expected a positive integer, found ${requested}`);
  const limit = Math.min(batchSize, cores);
  if (requested > limit) {
    const why = cores <= batchSize ? `this machine has ${cores} cores` : `a batch of ${batchSize} samples splits into at most ${batchSize} slices`;
    throw new RangeError(`${label}: expected at most ${limit} (${why}), found ${requested}`);
  }
}
