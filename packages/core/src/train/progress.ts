import { SingleBar } from 'cli-progress';

/** Per-step progress of one epoch: a live bar on a terminal, a line every few seconds in logs. */
export interface EpochProgress {
  tick(samples: number, loss: number): void;
  stop(): void;
}

export function startEpochProgress(label: string, totalSamples: number, enabled: boolean): EpochProgress {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} samples | {speed} samples/s | loss {loss} | ETA {eta_formatted}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 15000,
    etaBuffer: 50,
    hideCursor: false,
  });
  const started = Date.now();
  let done = 0;
  bar.start(totalSamples, 0, { speed: '-', loss: '-' });
  return {
    tick(samples, loss) {
      done += samples;
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { speed: seconds > 0 ? (done / seconds).toFixed(0) : '-', loss: loss.toFixed(4) });
    },
    stop() {
      bar.stop();
    },
  };
}
