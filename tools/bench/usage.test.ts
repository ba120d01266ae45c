import { SCRIPT_SUITES, SUITES } from './suites';
import { benchCommandNames, benchUsage } from './usage';

describe('bench usage', () => {
  it('accepts every side-by-side suite, every script suite and merge, in that order', () => {
    expect(benchCommandNames()).toEqual([...Object.keys(SUITES), ...Object.keys(SCRIPT_SUITES), 'merge']);
    expect(benchCommandNames()).toContain('e2e-throughput');
  });

  it('names every suite and the flags of both kinds of suite in --help', () => {
    const usage = benchUsage();
    expect(usage).toContain(`suites: ${Object.keys(SUITES).join(', ')}`);
    for (const flag of ['--methods', '--seeds', '--jobs', '--epochs', '--routes', '--no-torch']) expect(usage).toContain(flag);
    expect(usage).toContain('npm run bench -- e2e-throughput');
    expect(usage).toContain('npm run bench -- merge');
  });
});
