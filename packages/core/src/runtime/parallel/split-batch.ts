/**
 * Positions 0..size-1 cut into at most `parts` contiguous runs whose lengths differ by at most one,
 * longest first; empty runs are left out (a batch smaller than `parts` uses fewer replicas).
 */
export function splitPositions(size: number, parts: number): Int32Array[] {
  if (!(Number.isInteger(parts) && parts >= 1)) throw new RangeError(`parts must be a positive integer, found ${parts}`);
  const runs: Int32Array[] = [];
  let start = 0;
  for (let r = 0; r < parts && start < size; r++) {
    const length = Math.floor(size / parts) + (r < size % parts ? 1 : 0);
    runs.push(Int32Array.from({ length }, (_, k) => start + k));
    start += length;
  }
  return runs;
}
