import { parseThroughputArguments } from './throughput-arguments';

describe('parseThroughputArguments', () => {
  it('measures both models, every method, ours and PyTorch at 1 and all threads by default', () => {
    expect(parseThroughputArguments([], 2)).toEqual({
      models: ['resnet-small', 'resnet20'],
      methods: ['sgd', 'sam', 'ausam'],
      batch: 128,
      rounds: 3,
      steps: { 'resnet-small': 5, resnet20: 2 },
      threads: [1, 2],
      replicas: [2],
      torchThreads: [1, 2],
      outRoot: 'bench-results',
      quick: false,
    });
  });

  it('--replicas: counts of 1 are dropped, so --replicas 1 measures no replicas', () => {
    expect(parseThroughputArguments(['--replicas', '1'], 2).replicas).toEqual([]);
    expect(parseThroughputArguments(['--replicas', '1,all'], 4).replicas).toEqual([4]);
    expect(parseThroughputArguments([], 1).replicas).toEqual([]);
  });

  it('--quick is one round of resnet-small; flags override; all = the core count, deduplicated', () => {
    expect(parseThroughputArguments(['--quick'], 4)).toMatchObject({ models: ['resnet-small'], rounds: 1, steps: { 'resnet-small': 2 }, threads: [1, 4], torchThreads: [1, 4] });
    const args = parseThroughputArguments(['--models', 'resnet20', '--methods', 'sam', '--steps', '3', '--threads', '1,all,2', '--torch-threads', 'all', '--batch', '64', '--out', '/tmp/r'], 2);
    expect(args).toMatchObject({ models: ['resnet20'], methods: ['sam'], steps: { resnet20: 3 }, threads: [1, 2], torchThreads: [2], batch: 64, outRoot: '/tmp/r' });
    expect(parseThroughputArguments(['--no-torch'], 2).torchThreads).toEqual([]);
  });

  it('names the bad flag or value', () => {
    expect(() => parseThroughputArguments(['--model', 'resnet20'], 2)).toThrow("bench throughput: unknown flag '--model'");
    expect(() => parseThroughputArguments(['--models', 'resnet18'], 2)).toThrow("bench throughput --models: unknown 'resnet18' (expected resnet-small, resnet20)");
    expect(() => parseThroughputArguments(['--methods', 'sam,adam'], 2)).toThrow("bench throughput --methods: unknown 'adam'");
    expect(() => parseThroughputArguments(['--threads', '0'], 2)).toThrow("bench throughput --threads: expected a positive integer or 'all', found '0'");
    expect(() => parseThroughputArguments(['--rounds', 'all'], 3)).toThrow("bench throughput --rounds: expected a positive integer, found 'all'");
    expect(() => parseThroughputArguments(['--steps'], 2)).toThrow('bench throughput --steps: expected a value');
    expect(() => parseThroughputArguments(['--no-torch', '--torch-threads', '1'], 2)).toThrow('--no-torch and --torch-threads exclude each other');
    expect(() => parseThroughputArguments(['resnet20'], 2)).toThrow("bench throughput: unexpected argument 'resnet20'");
  });
});
