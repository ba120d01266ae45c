import * as os from 'node:os';

/**
 * Call before `selectBackend` when a run will start `replicas` replicas: each replica thread runs one
 * wasm thread, so the main thread takes one too unless `AUSAM_WASM_THREADS` is set. Logs when there
 * are more replicas than cores.
 */
export function oneWasmThreadPerReplica(replicas: number, log: (line: string) => void): void {
  if (replicas <= 1) return;
  const cores = os.cpus().length;
  if (replicas > cores) log(`[ausam] ${replicas} replicas on ${cores} cores: they will share cores and run slower than ${cores}`);
  if (process.env.AUSAM_WASM_THREADS === undefined || process.env.AUSAM_WASM_THREADS === '') process.env.AUSAM_WASM_THREADS = '1';
}
