import { splitPositions } from './split-batch';

describe('splitPositions', () => {
  it('cuts a batch into contiguous runs, longest first, lengths within one', () => {
    expect(splitPositions(7, 3).map((r) => Array.from(r))).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    expect(splitPositions(128, 2).map((r) => r.length)).toEqual([64, 64]);
  });

  it('uses fewer runs than parts when the batch is smaller', () => {
    expect(splitPositions(2, 4).map((r) => Array.from(r))).toEqual([[0], [1]]);
    expect(splitPositions(0, 2)).toEqual([]);
  });

  it('rejects a part count that is not a positive integer', () => {
    expect(() => splitPositions(4, 0)).toThrow('parts must be a positive integer, found 0');
  });
});
