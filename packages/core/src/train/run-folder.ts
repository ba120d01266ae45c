import * as fs from 'fs';
import * as path from 'path';
import { CheckpointFormatError, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { RunFolderInUseError } from './run-folder-in-use-error';

/** The files `train()` writes into its output folder. */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  checkpoint: 'checkpoint.ausam',
  previousCheckpoint: 'checkpoint.prev.ausam',
  corruptCheckpoint: 'checkpoint.corrupt.ausam',
  summary: 'summary.json',
} as const;

/** Files whose presence means the folder holds a run that a fresh start would destroy. */
const RUN_RESULTS = [RUN_FILES.checkpoint, RUN_FILES.previousCheckpoint, RUN_FILES.metrics, RUN_FILES.summary];

/**
 * A run's output folder: `config.json`, `metrics.jsonl` (one record per epoch), the latest two
 * checkpoints (`checkpoint.ausam`, `checkpoint.prev.ausam`) and `summary.json`.
 */
export class RunFolder {
  private constructor(readonly dir: string) {}

  /**
   * Opens `dir` for a run. A folder already holding a run is only reused with `resume` (continue it)
   * or `overwrite` (delete its files first); otherwise this throws {@link RunFolderInUseError}.
   */
  static open(dir: string, options: { resume?: boolean; overwrite?: boolean }): RunFolder {
    if (options.resume && options.overwrite) throw new RangeError(`${dir}: resume and overwrite exclude each other; pass one`);
    fs.mkdirSync(dir, { recursive: true });
    const folder = new RunFolder(dir);
    const existing = RUN_RESULTS.filter((name) => fs.existsSync(folder.file(name)));
    if (!options.resume && existing.length > 0) {
      if (!options.overwrite) throw new RunFolderInUseError(dir, existing);
      for (const name of Object.values(RUN_FILES)) fs.rmSync(folder.file(name), { force: true });
    }
    return folder;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  writeJson(name: string, value: unknown): void {
    fs.writeFileSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  /** metrics.jsonl holds exactly `records`: on resume, records past the checkpoint are dropped. */
  rewriteMetrics(records: readonly unknown[]): void {
    fs.writeFileSync(this.file(RUN_FILES.metrics), records.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  appendMetrics(record: unknown): void {
    fs.appendFileSync(this.file(RUN_FILES.metrics), JSON.stringify(record) + '\n');
  }

  /** Writes the latest checkpoint atomically, keeping the one it replaces as the previous one. */
  saveCheckpoint(state: unknown): void {
    writeCheckpointFile(this.file(RUN_FILES.checkpoint), state, { keepPreviousAs: this.file(RUN_FILES.previousCheckpoint) });
  }

  /**
   * The newest readable checkpoint: the latest, else (with a warning) the previous one. A corrupt
   * latest one is set aside as `checkpoint.corrupt.ausam` so the next save does not rotate it over the
   * good previous one. Undefined when the folder has no checkpoint; throws when none is readable.
   */
  loadCheckpoint<T>(warn: (line: string) => void): { state: T; file: string } | undefined {
    const latest = this.file(RUN_FILES.checkpoint);
    const previous = this.file(RUN_FILES.previousCheckpoint);
    const failures: string[] = [];
    for (const file of [latest, previous]) {
      if (!fs.existsSync(file)) continue;
      try {
        const state = readCheckpointFile<T>(file);
        if (failures.length > 0) warn(`[ausam] warning: ${failures.join('; ')}; resuming from the previous checkpoint ${file}`);
        return { state, file };
      } catch (error) {
        if (!(error instanceof CheckpointFormatError)) throw error;
        failures.push(error.message);
        if (file === latest) {
          fs.renameSync(latest, this.file(RUN_FILES.corruptCheckpoint));
          failures.push(`set aside as ${RUN_FILES.corruptCheckpoint}`);
        }
      }
    }
    if (failures.length > 0) throw new CheckpointFormatError(this.dir, `no readable checkpoint to resume from: ${failures.join('; ')}`);
    return undefined;
  }
}
