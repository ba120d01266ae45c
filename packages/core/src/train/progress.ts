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

/** When stderr is not a terminal: a line at every 10% of the epoch, and at least every minute. */
const LINE_EVERY_FRACTION = 0.1;
const LINE_EVERY_SECONDS = 60;

export function startEpochProgress(
  label: string,
  totalSamples: number,
  enabled: boolean,
  stream: ProgressStream = process.stderr,
): EpochProgress {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  return stream.isTTY ? liveBar(label, totalSamples, stream) : periodicLines(label, totalSamples, stream);
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
      bar.update(done, { speed: samplesPerSecond(done, started), loss: loss.toFixed(4) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Like tqdm on a pipe: whole lines, no carriage returns, a bounded number per epoch. */
function periodicLines(label: string, totalSamples: number, stream: ProgressStream): EpochProgress {
  const started = Date.now();
  let done = 0;
  let lastLineAt = started;
  let lastStep = 0;
  return {
    tick(samples, loss) {
      done += samples;
      const step = Math.floor(done / Math.max(1, totalSamples) / LINE_EVERY_FRACTION);
      const now = Date.now();
      if (step === lastStep && now - lastLineAt < LINE_EVERY_SECONDS * 1000) return;
      lastStep = step;
      lastLineAt = now;
      const percent = ((100 * done) / Math.max(1, totalSamples)).toFixed(0);
      const speed = samplesPerSecond(done, started);
      const remaining = Number(speed) > 0 ? `${Math.round((totalSamples - done) / Number(speed))}s` : '-';
      stream.write(`${label}: ${percent}% ${done}/${totalSamples} samples, ${speed} samples/s, loss ${loss.toFixed(4)}, ETA ${remaining}\n`);
    },
    stop() {},
  };
}

function samplesPerSecond(done: number, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? (done / seconds).toFixed(0) : '-';
}
