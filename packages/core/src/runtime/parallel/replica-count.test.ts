import * as os from 'node:os';
import { checkReplicaCount } from './replica-count';

describe('replica count', () => {
  it('accepts up to the smaller of the batch size and the cores', () => {
    expect(() => checkReplicaCount(1, 128)).not.toThrow();
    expect(() => checkReplicaCount(8, 128, 'replicas', 8)).not.toThrow();
    expect(() => checkReplicaCount(4, 4, 'replicas', 8)).not.toThrow();
  });

  it('refuses more replicas than cores or samples per batch, naming the flag, the limit and why', () => {
    expect(() => checkReplicaCount(500, 128, '--replicas', 8)).toThrow('--replicas: expected at most 8 (this machine has 8 cores), found 500');
    expect(() => checkReplicaCount(6, 4, 'replicas', 8)).toThrow('replicas: expected at most 4 (a batch of 4 samples splits into at most 4 slices), found 6');
    expect(() => checkReplicaCount(0, 4)).toThrow('replicas: expected a positive integer, found 0');
    const cores = os.availableParallelism();
    expect(() => checkReplicaCount(cores + 1, 10_000)).toThrow(`replicas: expected at most ${cores} (this machine has ${cores} cores), found ${cores + 1}`);
  });
});
