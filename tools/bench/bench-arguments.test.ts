import { parseBenchArguments } from './bench-arguments';

describe('parseBenchArguments', () => {
  it("takes the suite's methods, seeds and one job by default", () => {
    const args = parseBenchArguments(['classification', '--quick']);
    expect(args.suite.name).toBe('classification');
    expect(args.quick).toBe(true);
    expect(args.methods.map((m) => m.method)).toEqual(['sgd', 'sam', 'ausam', 'uniform']);
    expect(args.seeds).toEqual([1]);
    expect(args).toMatchObject({ jobs: 1, epochs: undefined, outRoot: 'bench-results', child: undefined });
  });

  it("keeps a named method's suite settings and gives others SAM's; --rho leaves SGD alone", () => {
    const args = parseBenchArguments(['pose', '--methods', 'sgd,ausam,ss-sam', '--rho', '0.01', '--seeds', '0,1,2', '--epochs', '3', '--jobs', '2']);
    expect(args.methods).toEqual([
      { method: 'sgd', base: { kind: 'adamw', weightDecay: 0 } },
      { method: 'ausam', rho: 0.01, ratio: 0.5, base: { kind: 'adamw', weightDecay: 0 } },
      { method: 'ss-sam', rho: 0.01, base: { kind: 'adamw', weightDecay: 0 } },
    ]);
    expect(args).toMatchObject({ seeds: [0, 1, 2], epochs: 3, jobs: 2 });
  });

  it('runs exactly the given spec in a --jobs child', () => {
    const spec = { method: 'ausam', rho: 0.05, ratio: 0.3 };
    const args = parseBenchArguments(['two-moons', '--spec', JSON.stringify(spec), '--seeds', '2', '--runs-out', '/tmp/x.json']);
    expect(args.methods).toEqual([spec]);
    expect(args.seeds).toEqual([2]);
    expect(args.child).toEqual({ runsOut: '/tmp/x.json' });
  });

  it('names the bad suite, flag or value', () => {
    expect(() => parseBenchArguments(['cifar'])).toThrow(/^bench: expected a suite \(two-moons, classification, classification-long, .*throughput, merge\), found 'cifar'$/);
    expect(() => parseBenchArguments(['pose', '--job', '2'])).toThrow("bench: unknown flag '--job'");
    expect(() => parseBenchArguments(['pose', '--jobs', '0'])).toThrow("bench --jobs: expected a positive integer, found '0'");
    expect(() => parseBenchArguments(['pose', '--epochs', '2.5'])).toThrow("bench --epochs: expected a positive integer, found '2.5'");
    expect(() => parseBenchArguments(['pose', '--seeds', '1,x'])).toThrow("bench --seeds: expected comma-separated integers, found '1,x'");
    expect(() => parseBenchArguments(['pose', '--methods', 'sam,adam'])).toThrow("bench --methods: unknown method 'adam'");
    expect(() => parseBenchArguments(['pose', '--rho', '-1'])).toThrow("bench --rho: expected a positive number, found '-1'");
    expect(() => parseBenchArguments(['pose', 'extra'])).toThrow("bench: unexpected argument 'extra'");
  });
});
