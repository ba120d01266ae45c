const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A signal `train()` stops on (with `stopOnSignals`). */
export type StopSignal = (typeof STOP_SIGNALS)[number];

const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15 };

/**
 * A run stopped by SIGINT / SIGTERM between two steps: says which checkpoint `--resume` continues
 * from. `exitCode` is the shell's 128 + signal number (130, 143).
 */
export class RunStoppedError extends Error {
  readonly exitCode: number;

  constructor(
    readonly signal: StopSignal,
    detail: string,
  ) {
    super(`stopped by ${signal} ${detail}`);
    this.name = 'RunStoppedError';
    this.exitCode = 128 + SIGNAL_NUMBERS[signal];
  }
}

/** Signals received while watching, from {@link watchStopSignals}. */
export interface StopSignalWatch {
  /** The first stop signal received, if any. */
  requested(): StopSignal | undefined;
  /** Stops watching: the process's previous signal handling applies again. */
  dispose(): void;
}

/**
 * Watches SIGINT and SIGTERM: the first one is only recorded, so the training loop can stop at the
 * next step boundary (no file half-written, the lock released by the normal path). A second one
 * means "now": `onForce` runs (e.g. release the lock), the handlers are removed and the signal is
 * raised again, so the process ends as that signal would have ended it.
 */
export function watchStopSignals(onForce: (signal: StopSignal) => void): StopSignalWatch {
  let received: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  const dispose = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
  for (const signal of STOP_SIGNALS) {
    const handler = () => {
      if (received === undefined) {
        received = signal;
        return;
      }
      onForce(signal);
      dispose();
      process.kill(process.pid, signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return { requested: () => received, dispose };
}
