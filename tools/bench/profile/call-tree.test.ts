import { selfTimes, type KernelCall } from './call-tree';

describe('selfTimes', () => {
  it("subtracts children's time from a composed kernel and keys the children by call path", () => {
    // A composed kernel (depth 1) calling Transpose and Conv2D (depth 2), then a plain Mul.
    const calls: KernelCall[] = [
      { name: 'Transpose', depth: 2, ms: 3, flops: 0 },
      { name: 'Conv2D', depth: 2, ms: 10, flops: 1e9 },
      { name: 'Conv2DBackpropFilter', depth: 1, ms: 14, flops: 1e9 },
      { name: 'Mul', depth: 1, ms: 2, flops: 0 },
    ];
    const { paths, topLevel } = selfTimes(calls);
    expect([...paths.values()]).toEqual([
      { path: 'Conv2DBackpropFilter', ms: 1, count: 1, flops: 0 },
      { path: 'Conv2DBackpropFilter › Transpose', ms: 3, count: 1, flops: 0 },
      { path: 'Conv2DBackpropFilter › Conv2D', ms: 10, count: 1, flops: 1e9 },
      { path: 'Mul', ms: 2, count: 1, flops: 0 },
    ]);
    expect(topLevel.get('Conv2DBackpropFilter')).toEqual({ path: 'Conv2DBackpropFilter', ms: 14, count: 1, flops: 1e9 });
  });
});
