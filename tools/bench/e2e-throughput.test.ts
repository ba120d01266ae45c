import { e2eTable, parseE2eArguments } from './suites/e2e-throughput';

describe('e2e-throughput arguments and table', () => {
  it('parses rounds, methods, routes and --no-torch, and refuses what it does not know', () => {
    const args = parseE2eArguments(['--rounds', '2', '--methods', 'sam', '--routes', '1', '--no-torch', '--train-limit', '1280']);
    expect([args.rounds, args.methods, args.routes, args.torch, args.trainLimit]).toEqual([2, ['sam'], ['1'], false, 1280]);
    expect(parseE2eArguments([]).methods).toEqual(['sam', 'ausam']);
    expect(() => parseE2eArguments(['--methods', 'sgd'])).toThrow("--methods: expected some of sam,ausam, found 'sgd'");
    expect(() => parseE2eArguments(['--rounds', '0'])).toThrow("--rounds: expected a positive integer, found '0'");
    expect(() => parseE2eArguments(['--fast'])).toThrow("unknown argument '--fast'");
  });

  it('gives medians, ranges, per-round ratios and the ratio of medians', () => {
    const m = (round: number, impl: 'ours' | 'pytorch', imagesPerSec: number) => ({ round, method: 'sam' as const, route: '1' as const, impl, imagesPerSec, loadAverage1mBefore: 0 });
    const table = e2eTable([m(1, 'ours', 500), m(1, 'pytorch', 1000), m(2, 'ours', 600), m(2, 'pytorch', 1500), m(3, 'ours', 700), m(3, 'pytorch', 1400)], ['sam'], ['1']);
    expect(table.split('\n')[2]).toBe('| sam | 1 core | 600 (500–700) | 1400 (1000–1500) | 0.50, 0.40, 0.50 | 0.43 |');
  });
});
