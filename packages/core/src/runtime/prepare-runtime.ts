import * as os from 'node:os';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { localPasses } from '../passes/local-passes';
import type { Passes } from '../passes/passes';
import type { Batch, Task } from '../task/contracts';
import { selectBackend, type BackendName } from './backend/select-backend';
import { startReplicas, type Replicas } from './parallel/replica-pool';
import type { ReplicaRecipe } from './parallel/replica-recipe';

export interface RuntimeOptions {
  /** Force a backend; default `AUSAM_BACKEND`, else the fastest that loads (tensorflow, wasm, cpu). */
  readonly backend?: BackendName;
  /**
   * wasm's XNNPACK threads in this thread, 1..8. Default: `AUSAM_WASM_THREADS` when set, else 1
   * with data-parallel replicas (each replica runs one), else every core (at most 8).
   */
  readonly threads?: number;
  /**
   * Data-parallel replicas, the main thread included (default 1: none). `'auto'`: one per core
   * (capped by `batchSize`) on wasm, each with one wasm thread, unless `threads` or
   * `AUSAM_WASM_THREADS` asks for wasm's thread pool; 1 on other backends (see
   * {@link automaticReplicaCount}).
   */
  readonly replicas?: number | 'auto';
  /** The run's batch size: `'auto'` starts at most one replica per sample of a batch. */
  readonly batchSize?: number;
  /** How each replica thread builds its copy of the task; may also be given to `startReplicas`. */
  readonly recipe?: ReplicaRecipe;
  readonly log?: (line: string) => void;
}

/**
 * The backend and threads a run computes on, from {@link prepareRuntime}: the one place that knows
 * about backends, thread pools and replica threads. The algorithm only sees its {@link Passes}.
 */
export interface Runtime {
  readonly backend: BackendName;
  /** wasm's XNNPACK pool in this thread; undefined on other backends. */
  readonly threads: number | undefined;
  /** Data-parallel replicas, the main thread included. */
  readonly replicas: number;
  /** The passes to hand to `train()`: {@link localPasses} until {@link Runtime.startReplicas} started replicas. */
  readonly passes: Passes;
  /**
   * Starts the replica threads for `task` (its variables are copied into each replica at every
   * pass), each building its own copy with `recipe` (default: the one given to `prepareRuntime`).
   * With one replica, starts nothing. Returns (and from then on {@link Runtime.passes} is) the
   * passes to train with.
   */
  startReplicas<B extends Batch>(task: Task<B>, recipe?: ReplicaRecipe): Promise<Passes>;
  /** One line for logs, e.g. `wasm, 1 thread, 2 replicas`. */
  describe(): string;
  /** Stops the replica threads, if any. */
  dispose(): Promise<void>;
}

/**
 * Activates the backend (logging the choice) with the thread count decided here, explicitly, from
 * `options.threads`, `AUSAM_WASM_THREADS` (a read-only user override) and the replica count: each
 * replica runs one wasm thread. Registers tfjs-core's gradients. Call it once, before building a
 * model; start replicas on the runtime once the task exists.
 */
export async function prepareRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => console.error(line));
  const cores = os.availableParallelism();
  const userSetting = process.env.AUSAM_WASM_THREADS;
  if (options.replicas === 'auto') {
    const threadsAskedFor = options.threads !== undefined || (userSetting !== undefined && userSetting.trim() !== '');
    // One wasm thread per replica unless the caller or the user asked for wasm's thread pool.
    const choice = await selectBackend({ force: options.backend, threads: threadsAskedFor ? options.threads : 1, log });
    const replicas = automaticReplicaCount(choice.name, threadsAskedFor, cores, options.batchSize);
    return new PreparedRuntime(choice.name, choice.name === 'wasm' ? getThreadsCount() : undefined, replicas, options.recipe);
  }
  const replicas = options.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`replicas must be a positive integer, found ${replicas}`);
  if (replicas > cores) log(`[ausam] ${replicas} replicas on ${cores} cores: they will share cores and run slower than ${cores}`);
  const threads = wasmThreadsFor(replicas, options.threads, userSetting);
  const choice = await selectBackend({ force: options.backend, threads, log });
  return new PreparedRuntime(choice.name, choice.name === 'wasm' ? getThreadsCount() : undefined, replicas, options.recipe);
}

/**
 * The replica count `replicas: 'auto'` gives: on wasm, one per core, at most one per sample of a
 * batch (`batchSize`), since replicas split every batch and give the run of one thread up to float
 * summation order (BatchNorm over the whole batch), and they use the cores better than wasm's
 * thread pool (docs/backends.md); 1 when wasm threads were asked for or on another backend
 * (tfjs-node already uses every core; cpu is for tests).
 */
export function automaticReplicaCount(backend: BackendName, threadsAskedFor: boolean, cores: number, batchSize?: number): number {
  if (backend !== 'wasm' || threadsAskedFor) return 1;
  return Math.max(1, Math.min(cores, batchSize ?? cores));
}

/**
 * The wasm thread count to ask `selectBackend` for: the caller's; else none when the user set
 * `AUSAM_WASM_THREADS` (`selectBackend` reads it); else 1 with replicas (each runs one thread on
 * its own core); else none (every core).
 */
export function wasmThreadsFor(replicas: number, requested: number | undefined, userSetting: string | undefined): number | undefined {
  if (requested !== undefined) return requested;
  if (userSetting !== undefined && userSetting.trim() !== '') return undefined;
  return replicas > 1 ? 1 : undefined;
}

class PreparedRuntime implements Runtime {
  private started: Replicas | undefined;

  constructor(
    readonly backend: BackendName,
    readonly threads: number | undefined,
    readonly replicas: number,
    private readonly recipe: ReplicaRecipe | undefined,
  ) {}

  get passes(): Passes {
    return this.started ?? localPasses;
  }

  async startReplicas<B extends Batch>(task: Task<B>, recipe = this.recipe): Promise<Passes> {
    if (this.replicas === 1) return localPasses;
    if (this.started) throw new Error('startReplicas: this runtime already runs replicas (one task per runtime)');
    if (!recipe) throw new Error(`startReplicas: ${this.replicas} replicas need a recipe (how each replica builds its task), found none`);
    this.started = await startReplicas(task, { replicas: this.replicas, recipe });
    return this.started;
  }

  describe(): string {
    const threads = this.threads === undefined ? '' : `, ${this.threads} thread${this.threads === 1 ? '' : 's'}`;
    return `${this.backend}${threads}${this.replicas > 1 ? `, ${this.replicas} replicas` : ''}`;
  }

  async dispose(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    await started?.close();
  }
}
