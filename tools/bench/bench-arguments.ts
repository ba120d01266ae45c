import { METHOD_NAMES, type MethodName, type MethodSpec } from '@ausam/core';
import type { BenchSuite } from './suite';
import { SUITES } from './suites';
import { benchCommandNames } from './usage';

/** What `npm run bench -- <suite> [flags]` was asked to run. */
export interface BenchArguments {
  suite: BenchSuite;
  quick: boolean;
  outRoot: string;
  methods: MethodSpec[];
  seeds: number[];
  /** Overrides the suite's epochs. */
  epochs?: number;
  jobs: number;
  /** Set in a `--jobs` child: the one method to run and where to write its runs. */
  child?: { runsOut: string };
  /** The flags that chose the suite's variant (`--noise r`), for `--jobs` children. */
  suiteArgs: string[];
}

const PUBLIC_FLAGS = ['quick', 'methods', 'rho', 'seeds', 'epochs', 'jobs', 'out', 'noise'];
/** Passed by a `--jobs` parent to its children only. */
const CHILD_FLAGS = ['spec', 'runs-out'];

function readFlags(rest: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new Error(`bench: unexpected argument '${arg}'`);
    const name = arg.slice(2);
    if (![...PUBLIC_FLAGS, ...CHILD_FLAGS].includes(name)) {
      throw new Error(`bench: unknown flag '${arg}' (expected ${PUBLIC_FLAGS.map((f) => `--${f}`).join(', ')})`);
    }
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(name, next);
      i++;
    } else flags.set(name, true);
  }
  return flags;
}

function positiveInteger(flag: string, value: string | true): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench --${flag}: expected a positive integer, found '${String(value)}'`);
  return n;
}

function resolveMethods(suite: BenchSuite, quick: boolean, flags: Map<string, string | true>, epochs: number | undefined): MethodSpec[] {
  const spec = flags.get('spec');
  if (typeof spec === 'string') return [JSON.parse(spec) as MethodSpec];
  let methods = suite.methods(quick, epochs);
  const methodFlag = flags.get('methods');
  if (typeof methodFlag === 'string') {
    // Named methods keep the suite's settings (base optimizer, ρ); others borrow SAM's.
    const known = [...suite.methods(false, epochs), ...suite.methods(true, epochs)];
    const samSpec = known.find((m) => m.method === 'sam') ?? { method: 'sam' };
    methods = methodFlag.split(',').map((name) => {
      if (!METHOD_NAMES.includes(name as MethodName)) throw new Error(`bench --methods: unknown method '${name}' (expected ${METHOD_NAMES.join(', ')})`);
      return known.find((m) => m.method === name) ?? { ...samSpec, method: name as MethodName };
    });
  }
  const rhoFlag = flags.get('rho');
  if (rhoFlag !== undefined) {
    const rho = Number(rhoFlag);
    if (!(rho > 0)) throw new Error(`bench --rho: expected a positive number, found '${String(rhoFlag)}'`);
    methods = methods.map((m) => (m.method === 'sgd' ? m : { ...m, rho }));
  }
  return methods;
}

/** Parses `<suite> [--quick] [--methods a,b] [--rho x] [--seeds 1,2] [--epochs N] [--jobs N] [--out dir] [--noise r]`. */
export function parseBenchArguments(argv: string[]): BenchArguments {
  const [suiteName, ...rest] = argv;
  if (!suiteName || !(suiteName in SUITES)) {
    throw new Error(`bench: expected a suite (${benchCommandNames().join(', ')}), found '${suiteName ?? ''}'`);
  }
  const flags = readFlags(rest);
  let suite = SUITES[suiteName];
  const noiseFlag = flags.get('noise');
  const suiteArgs: string[] = [];
  if (noiseFlag !== undefined) {
    if (!suite.withNoise) throw new Error(`bench --noise: suite '${suiteName}' has no label-noise setting (label-noise has)`);
    const rate = Number(noiseFlag);
    if (!(rate >= 0 && rate < 1)) throw new Error(`bench --noise: expected a rate in [0, 1), found '${String(noiseFlag)}'`);
    suite = suite.withNoise(rate);
    suiteArgs.push('--noise', String(rate));
  }
  const quick = flags.has('quick');
  const seedsFlag = flags.get('seeds');
  const seeds =
    seedsFlag === undefined
      ? suite.seeds(quick)
      : String(seedsFlag)
          .split(',')
          .map((text) => {
            const seed = Number(text);
            if (!Number.isInteger(seed)) throw new Error(`bench --seeds: expected comma-separated integers, found '${String(seedsFlag)}'`);
            return seed;
          });
  const epochsFlag = flags.get('epochs');
  const epochs = epochsFlag === undefined ? undefined : positiveInteger('epochs', epochsFlag);
  const out = flags.get('out');
  const runsOut = flags.get('runs-out');
  return {
    suite,
    quick,
    outRoot: typeof out === 'string' ? out : 'bench-results',
    methods: resolveMethods(suite, quick, flags, epochs),
    seeds,
    epochs,
    jobs: positiveInteger('jobs', flags.get('jobs') ?? '1'),
    child: typeof runsOut === 'string' ? { runsOut } : undefined,
    suiteArgs,
  };
}
