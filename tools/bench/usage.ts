import { SCRIPT_SUITES, SUITES } from './suites';

/** The names `npm run bench --` accepts first: the side-by-side suites, the script suites and `merge`. */
export function benchCommandNames(): string[] {
  return [...Object.keys(SUITES), ...Object.keys(SCRIPT_SUITES), 'merge'];
}

/** What `npm run bench -- --help` (or `<suite> --help`) prints. */
export function benchUsage(): string {
  return [
    'npm run bench -- <suite> [--quick] [--methods a,b] [--rho x] [--seeds 1,2] [--epochs N] [--jobs N] [--out dir] [--noise r]',
    `  suites: ${Object.keys(SUITES).join(', ')}`,
    '  every method of the suite side by side on the same data and seeds; writes <out>/<suite>/<timestamp>.{json,md} and plots',
    '  --noise r: the label-noise suite\'s noise rate (default 0.4; 0 is the clean control)',
    'npm run bench -- e2e-throughput [--rounds 3] [--workloads fashion-mnist,cifar-resnet20] [--methods sam,ausam] [--routes default,1] [--train-limit n] [--no-torch] [--out dir]',
    '  images/s of a training epoch through the built ausam-classify against PyTorch\'s loop on the same cores (build first)',
    'npm run bench -- merge a.json b.json ...',
    '  pools the seeds of result files of one suite into one table',
  ].join('\n');
}
