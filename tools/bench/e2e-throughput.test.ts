import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCifar10 } from '@ausam/classification';
import { e2eTable, epochTimeRatioTable, parseE2eArguments } from './suites/e2e-throughput';
import { syntheticCifar10 } from './suites/synthetic-cifar10';

describe('e2e-throughput arguments and table', () => {
  it('parses rounds, workloads, methods, routes and --no-torch, and refuses what it does not know', () => {
    const args = parseE2eArguments(['--rounds', '2', '--workloads', 'cifar-resnet20', '--methods', 'sam', '--routes', '1', '--no-torch', '--train-limit', '1280']);
    expect([args.rounds, args.workloads, args.methods, args.routes, args.torch, args.trainLimit]).toEqual([2, ['cifar-resnet20'], ['sam'], ['1'], false, 1280]);
    const defaults = parseE2eArguments([]);
    expect([defaults.workloads, defaults.methods, defaults.routes, defaults.trainLimit]).toEqual([['fashion-mnist', 'cifar-resnet20'], ['sam', 'ausam'], ['default', '1'], undefined]);
    expect(parseE2eArguments(['--routes', 'threads,1']).routes).toEqual(['threads', '1']);
    expect(() => parseE2eArguments(['--methods', 'sgd'])).toThrow("--methods: expected some of sam,ausam, found 'sgd'");
    expect(() => parseE2eArguments(['--workloads', 'cifar10'])).toThrow("--workloads: expected some of fashion-mnist,cifar-resnet20, found 'cifar10'");
    expect(() => parseE2eArguments(['--rounds', '0'])).toThrow("--rounds: expected a positive integer, found '0'");
    expect(() => parseE2eArguments(['--fast'])).toThrow("unknown argument '--fast'");
  });

  it('gives medians, ranges, per-round ratios, the ratio of medians, and the other routes’ start-up over one core per round', () => {
    const m = (round: number, route: 'default' | '1' | 'threads', impl: 'ours' | 'pytorch', imagesPerSec: number, outsideTrainerSeconds?: number) => ({
      round,
      workload: 'fashion-mnist' as const,
      method: 'sam' as const,
      route,
      impl,
      imagesPerSec,
      loadAverage1mBefore: 0,
      outsideTrainerSeconds,
    });
    const measurements = [m(1, '1', 'ours', 500, 2), m(1, '1', 'pytorch', 1000), m(2, '1', 'ours', 600, 2.5), m(2, '1', 'pytorch', 1500), m(3, '1', 'ours', 700, 2), m(3, '1', 'pytorch', 1400)];
    measurements.push(m(1, 'default', 'ours', 900, 2.25), m(2, 'default', 'ours', 800, 3.5), m(3, 'default', 'ours', 1000, 2.5), m(1, 'threads', 'ours', 550, 3));
    const rows = e2eTable(measurements, ['fashion-mnist'], ['sam'], ['default', '1', 'threads']).split('\n');
    expect(rows[2]).toBe(`| fashion-mnist | sam | default (${os.availableParallelism()} cores) | 900 (800–1000) | — | — | — | 0.25, 1.00, 0.50 (0.50) |`);
    expect(rows[3]).toBe('| fashion-mnist | sam | 1 core | 600 (500–700) | 1400 (1000–1500) | 0.50, 0.40, 0.50 | 0.43 | — |');
    expect(rows[4]).toBe(`| fashion-mnist | sam | ${os.availableParallelism()}-thread build | 550 (550–550) | — | — | — | 1.00 (1.00) |`);
  });
  it('gives each side’s AUSAM epoch time over its SAM epoch time per round, and the median', () => {
    const m = (round: number, method: 'sam' | 'ausam', impl: 'ours' | 'pytorch', imagesPerSec: number) => ({ round, workload: 'fashion-mnist' as const, method, route: 'default' as const, impl, imagesPerSec, loadAverage1mBefore: 0 });
    const measurements = [m(1, 'sam', 'ours', 500), m(1, 'ausam', 'ours', 1000), m(2, 'sam', 'ours', 600), m(2, 'ausam', 'ours', 1500), m(3, 'sam', 'ours', 700), m(3, 'ausam', 'ours', 1000)];
    measurements.push(m(1, 'sam', 'pytorch', 1000), m(1, 'ausam', 'pytorch', 2500));
    const rows = epochTimeRatioTable(measurements, ['fashion-mnist'], ['default', '1']).split('\n');
    expect(rows[2]).toBe('| fashion-mnist | default | 0.500, 0.400, 0.700 (0.500) | 0.400 (0.400) |');
    expect(rows[3]).toBe('| fashion-mnist | 1 core | — | — |');
  });
});

describe('syntheticCifar10', () => {
  it('writes, once, CIFAR-10 binary files that loadCifar10 reads: at least the images asked for, labels 0..9 (the loader checks them), the same bytes for the same sizes', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-synthetic-'));
    const dir = syntheticCifar10(12, 3, root);
    const { train, test } = await loadCifar10(dir);
    expect([train.size, test.size]).toEqual([15, 3]);
    const bytes = fs.readFileSync(path.join(dir, 'data_batch_2.bin'));
    expect(new Set(bytes.subarray(1, 3073)).size).toBeGreaterThan(200);
    fs.rmSync(dir, { recursive: true });
    expect(fs.readFileSync(path.join(syntheticCifar10(12, 3, root), 'data_batch_2.bin')).equals(bytes)).toBe(true);
    expect(syntheticCifar10(12, 3, root)).toBe(dir);
    fs.rmSync(root, { recursive: true });
  });
});
