import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { MethodSpec } from '@ausam/core';
import { methodLabel, type MethodRun } from './run-methods';

/** A run as a child writes it: typed arrays become plain arrays in JSON. */
type SerializedRun = Omit<MethodRun, 'probabilityRatios'> & {
  probabilityRatios?: { epoch: number; fMaxCeiling: number; values: number[] }[];
};

export function serializeRuns(runs: MethodRun[]): string {
  const plain: SerializedRun[] = runs.map((run) => ({
    ...run,
    probabilityRatios: run.probabilityRatios?.map((p) => ({ ...p, values: Array.from(p.values) })),
  }));
  return JSON.stringify(plain);
}

export function deserializeRuns(text: string): MethodRun[] {
  const plain = JSON.parse(text) as SerializedRun[];
  return plain.map((run) => ({
    ...run,
    probabilityRatios: run.probabilityRatios?.map((p) => ({ ...p, values: Float32Array.from(p.values) })),
  }));
}

/**
 * `AUSAM_WASM_THREADS` for each of `jobs` children on `cores` cores: the parent's setting when it has
 * one, else the cores shared out (at least 1), so `--jobs k` on k cores runs k single-threaded children.
 */
export function childWasmThreads(setting: string | undefined, cores: number, jobs: number): string {
  if (setting !== undefined && setting.trim() !== '') return setting;
  return String(Math.max(1, Math.floor(cores / jobs)));
}

/**
 * Runs each (method, seed) in its own child process, at most `jobs` at a time, the machine's cores
 * shared out between them ({@link childWasmThreads}): on a machine with k cores `--jobs k` trains k
 * methods side by side on one thread each; every method runs while the others keep the machine
 * equally busy, except the last ones of the queue.
 * Returns the runs seed-major in the order of `methods`, whatever order they finish in.
 */
export async function runMethodsInChildren(options: {
  suiteName: string;
  /** Flags that select the suite's variant (e.g. `--noise 0`), passed to every child. */
  suiteArgs?: readonly string[];
  quick: boolean;
  epochs?: number;
  methods: MethodSpec[];
  seeds: number[];
  jobs: number;
  log: (line: string) => void;
  onRun: (runs: MethodRun[]) => void;
}): Promise<MethodRun[]> {
  const { jobs, log } = options;
  const work = options.seeds.flatMap((seed) => options.methods.map((spec) => ({ spec, seed })));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-bench-'));
  const results: (MethodRun[] | undefined)[] = work.map(() => undefined);
  const failures: string[] = [];
  let next = 0;

  const runChild = (index: number) =>
    new Promise<void>((resolve) => {
      const { spec, seed } = work[index];
      // Children's lines interleave: each is tagged with its method.
      const tag = `(${methodLabel(spec)} seed ${seed})`;
      const outFile = path.join(workDir, `${index}.json`);
      const args = [
        ...process.execArgv,
        process.argv[1],
        options.suiteName,
        ...(options.suiteArgs ?? []),
        ...(options.quick ? ['--quick'] : []),
        ...(options.epochs !== undefined ? ['--epochs', String(options.epochs)] : []),
        '--spec',
        JSON.stringify(spec),
        '--seeds',
        String(seed),
        '--runs-out',
        outFile,
      ];
      const env = { ...process.env, AUSAM_WASM_THREADS: childWasmThreads(process.env.AUSAM_WASM_THREADS, os.availableParallelism(), jobs) };
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
      let pending = '';
      child.stderr.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) log(`${tag} ${line}`);
      });
      child.on('close', (code) => {
        if (pending) log(`${tag} ${pending}`);
        if (code === 0 && fs.existsSync(outFile)) {
          results[index] = deserializeRuns(fs.readFileSync(outFile, 'utf8'));
          options.onRun(results.flatMap((r) => r ?? []));
        } else {
          failures.push(`${methodLabel(spec)} seed ${seed} (exit code ${code})`);
        }
        resolve();
      });
    });

  const worker = async () => {
    while (next < work.length) await runChild(next++);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, work.length) }, worker));
  fs.rmSync(workDir, { recursive: true, force: true });
  if (failures.length) throw new Error(`bench --jobs: these runs failed: ${failures.join(', ')} (their output is above)`);
  return results.flatMap((r) => r ?? []);
}
