import { SingleBar } from 'cli-progress';

/** Per-step progress of one epoch: a live bar on a terminal, plain periodic lines when piped. */
export interface EpochProgress {
  tick(samples: number, loss: number): void;
  stop(): void;
}

/** Where progress goes: stderr, or a test's fake stream. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * When stderr is not a terminal: a line when the epoch passes a tenth of its samples, at most one per
 * 5 s (an epoch of seconds prints none: its epoch line follows), and at least one a minute.
 */
const LINE_EVERY_FRACTION = 0.1;
const MIN_SECONDS_BETWEEN_LINES = 5;
const MAX_SECONDS_BETWEEN_LINES = 60;

export function startEpochProgress(
  label: string,
  totalSamples: number,
  enabled: boolean,
  stream: ProgressStream = process.stderr,
  clock: () => number = Date.now,
): EpochProgress {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  return stream.isTTY ? liveBar(label, totalSamples, stream) : periodicLines(label, totalSamples, stream, clock);
}

function liveBar(label: string, totalSamples: number, stream: ProgressStream): EpochProgress {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} samples | {speed} samples/s | loss {loss} | ETA {eta_formatted}`,
    stream: stream as NodeJS.WritableStream,
    etaBuffer: 50,
    hideCursor: false,
  });
  const started = Date.now();
  let done = 0;
  bar.start(totalSamples, 0, { speed: '-', loss: '-' });
  return {
    tick(samples, loss) {
      done += samples;
      bar.update(done, { speed: samplesPerSecond(done, (Date.now() - started) / 1000), loss: loss.toFixed(4) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Like tqdm on a pipe: whole lines, no carriage returns, a bounded number per epoch. */
function periodicLines(label: string, totalSamples: number, stream: ProgressStream, clock: () => number): EpochProgress {
  const started = clock();
  let done = 0;
  let lastLineAt = started;
  let lastTenth = 0;
  return {
    tick(samples, loss) {
      done += samples;
      const now = clock();
      const tenth = Math.floor(done / Math.max(1, totalSamples) / LINE_EVERY_FRACTION);
      const secondsSinceLine = (now - lastLineAt) / 1000;
      const due = (tenth > lastTenth && secondsSinceLine >= MIN_SECONDS_BETWEEN_LINES) || secondsSinceLine >= MAX_SECONDS_BETWEEN_LINES;
      if (!due) return;
      lastTenth = tenth;
      lastLineAt = now;
      const percent = ((100 * done) / Math.max(1, totalSamples)).toFixed(0);
      const speed = samplesPerSecond(done, (now - started) / 1000);
      const remaining = Number(speed) > 0 ? `${Math.round((totalSamples - done) / Number(speed))}s` : '-';
      stream.write(`${label}: ${percent}% ${done}/${totalSamples} samples, ${speed} samples/s, loss ${loss.toFixed(4)}, ETA ${remaining}\n`);
    },
    stop() {},
  };
}

function samplesPerSecond(done: number, seconds: number): string {
  return seconds > 0 ? (done / seconds).toFixed(0) : '-';
}
