/** Architectures the throughput suite measures, with the image shape each is trained on. */
export const THROUGHPUT_MODELS = {
  'resnet-small': { height: 28, width: 28, channels: 1 },
  resnet20: { height: 32, width: 32, channels: 3 },
} as const;
export type ThroughputModel = keyof typeof THROUGHPUT_MODELS;

export const THROUGHPUT_METHODS = ['sgd', 'sam', 'ausam'] as const;
export type ThroughputMethod = (typeof THROUGHPUT_METHODS)[number];

/** What `npm run bench -- throughput [flags]` was asked to measure. */
export interface ThroughputArguments {
  models: ThroughputModel[];
  methods: ThroughputMethod[];
  batch: number;
  /** Interleaved rounds: every variant is measured once per round, the table reports medians. */
  rounds: number;
  /** Timed steps per variant and round (after one warm-up step), by model. */
  steps: Record<ThroughputModel, number>;
  /**
   * Our side's thread counts: 1 = tfjs' default SIMD build (one thread, today's behaviour), n > 1 =
   * the threaded SIMD build with an XNNPACK pool of n (`activateThreadedWasm`).
   */
  threads: number[];
  /**
   * Our side's data-parallel replica counts (`startReplicas`: n worker-thread replicas, the main
   * thread included, one wasm thread each); counts of 1 are dropped, `--replicas 1` measures none.
   */
  replicas: number[];
  /** PyTorch's thread counts; empty with `--no-torch`. */
  torchThreads: number[];
  outRoot: string;
  quick: boolean;
}

const FLAGS = ['quick', 'models', 'methods', 'batch', 'rounds', 'steps', 'threads', 'replicas', 'torch-threads', 'no-torch', 'out'];
const VALUELESS = ['quick', 'no-torch'];

const COUNT_FLAGS = ['threads', 'replicas', 'torch-threads'];

function positiveInteger(flag: string, text: string, cores: number): number {
  const count = COUNT_FLAGS.includes(flag);
  const n = count && text === 'all' ? cores : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench throughput --${flag}: expected a positive integer${count ? " or 'all'" : ''}, found '${text}'`);
  return n;
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  return text.split(',').map((name) => {
    if (!allowed.includes(name as T)) throw new Error(`bench throughput --${flag}: unknown '${name}' (expected ${allowed.join(', ')})`);
    return name as T;
  });
}

/**
 * Parses `[--quick] [--models a,b] [--methods sgd,sam,ausam] [--batch 128] [--rounds 3] [--steps N]
 * [--threads 1,all] [--replicas all] [--torch-threads 1,all | --no-torch] [--out dir]`; `cores` resolves `all`.
 */
export function parseThroughputArguments(argv: readonly string[], cores: number): ThroughputArguments {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`bench throughput: unexpected argument '${arg}'`);
    const name = arg.slice(2);
    if (!FLAGS.includes(name)) throw new Error(`bench throughput: unknown flag '${arg}' (expected ${FLAGS.map((f) => `--${f}`).join(', ')})`);
    if (VALUELESS.includes(name)) {
      flags.set(name, true);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`bench throughput --${name}: expected a value`);
    flags.set(name, value);
    i++;
  }
  const text = (name: string) => flags.get(name) as string | undefined;
  if (flags.has('no-torch') && flags.has('torch-threads')) throw new Error('bench throughput: --no-torch and --torch-threads exclude each other');
  const quick = flags.has('quick');
  const models = text('models') ? list('models', text('models')!, Object.keys(THROUGHPUT_MODELS) as ThroughputModel[]) : quick ? ['resnet-small' as const] : (Object.keys(THROUGHPUT_MODELS) as ThroughputModel[]);
  const steps = text('steps');
  const counts = (flag: string, fallback: string) => [...new Set((text(flag) ?? fallback).split(',').map((t) => positiveInteger(flag, t, cores)))];
  return {
    models,
    methods: text('methods') ? list('methods', text('methods')!, THROUGHPUT_METHODS) : [...THROUGHPUT_METHODS],
    batch: positiveInteger('batch', text('batch') ?? '128', cores),
    rounds: positiveInteger('rounds', text('rounds') ?? (quick ? '1' : '3'), cores),
    steps: {
      'resnet-small': steps ? positiveInteger('steps', steps, cores) : quick ? 2 : 5,
      resnet20: steps ? positiveInteger('steps', steps, cores) : quick ? 1 : 2,
    },
    threads: counts('threads', '1,all'),
    replicas: counts('replicas', 'all').filter((n) => n > 1),
    torchThreads: flags.has('no-torch') ? [] : counts('torch-threads', '1,all'),
    outRoot: text('out') ?? 'bench-results',
    quick,
  };
}
