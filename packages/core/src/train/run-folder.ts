import * as fs from 'fs';
import * as path from 'path';
import { isTemporaryFileName, readJsonRecord, RunFileError, temporaryFileFor, writeFileAtomic, writeJsonAtomic } from './atomic-file';
import { CheckpointFormatError, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { checkOutputPath, OutputPathError } from './output-path';
import { NothingToResumeError } from './resume-check';
import { RunFolderInUseError } from './run-folder-in-use-error';
import { acquireRunLock, LOCK_FILE, type RunLock } from './run-lock';

/** The files `train()` writes into its output folder (and `run.lock` while it runs). */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  checkpoint: 'checkpoint.ausam',
  previousCheckpoint: 'checkpoint.prev.ausam',
  corruptCheckpoint: 'checkpoint.corrupt.ausam',
  summary: 'summary.json',
  lock: LOCK_FILE,
} as const;

/** Files whose presence means the folder holds a run that a fresh start would destroy. */
const RUN_RESULTS = [RUN_FILES.checkpoint, RUN_FILES.previousCheckpoint, RUN_FILES.metrics, RUN_FILES.summary];

/** Options of {@link RunFolder.open}. */
export interface OpenRunFolderOptions {
  resume?: boolean;
  overwrite?: boolean;
  log?: (line: string) => void;
}

/**
 * A run's output folder: `config.json`, `metrics.jsonl` (one record per epoch), the latest two
 * checkpoints (`checkpoint.ausam`, `checkpoint.prev.ausam`) and `summary.json`, each written
 * atomically, and `run.lock` while a run holds the folder.
 */
export class RunFolder {
  private constructor(
    readonly dir: string,
    private readonly lock: RunLock,
  ) {}

  /**
   * Opens `dir` for a run, in this order: checks the path ({@link checkOutputPath}), creates the
   * folder, takes its lock ({@link acquireRunLock}; another live run there makes this throw
   * `RunLockHeldError`), then, under the lock: a folder already holding a run is only reused with
   * `resume` (continue it) or `overwrite` (delete its files first), else {@link RunFolderInUseError};
   * `resume` of a missing folder, or of one holding neither a checkpoint nor a config.json, is a
   * {@link NothingToResumeError}. Temporary files left by a crash or a full disk are removed.
   * The caller releases the lock with {@link RunFolder.close}.
   */
  static open(dir: string, options: OpenRunFolderOptions): RunFolder {
    if (options.resume && options.overwrite) throw new RangeError(`${dir}: resume and overwrite exclude each other; pass one`);
    if (options.resume && !fs.existsSync(dir)) throw new NothingToResumeError(dir, 'the folder does not exist');
    const longestName = Object.values(RUN_FILES).map(temporaryFileFor).reduce((a, b) => (a.length >= b.length ? a : b));
    checkOutputPath(dir, longestName);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new OutputPathError(dir, `cannot be created: ${(error as Error).message}`);
    }
    const folder = new RunFolder(dir, acquireRunLock(dir));
    try {
      const existing = RUN_RESULTS.filter((name) => fs.existsSync(folder.file(name)));
      if (!options.resume && existing.length > 0 && !options.overwrite) throw new RunFolderInUseError(dir, existing);
      if (options.resume && !existing.includes(RUN_FILES.checkpoint) && !existing.includes(RUN_FILES.previousCheckpoint) && !folder.has(RUN_FILES.config)) {
        throw new NothingToResumeError(dir, 'it holds no checkpoint and no config.json');
      }
      folder.removeTemporaryFiles(options.log ?? (() => {}));
      if (options.overwrite) {
        for (const name of Object.values(RUN_FILES)) if (name !== RUN_FILES.lock) fs.rmSync(folder.file(name), { force: true });
      }
      return folder;
    } catch (error) {
      folder.close();
      throw error;
    }
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  has(name: string): boolean {
    return fs.existsSync(this.file(name));
  }

  /** Releases the folder's lock (idempotent). */
  close(): void {
    this.lock.release();
  }

  writeJson(name: string, value: unknown): void {
    writeJsonAtomic(this.file(name), value);
  }

  /** A JSON file of the folder, parsed; a {@link RunFileError} names it when missing, empty or invalid. */
  readJson(name: string): unknown {
    return readJsonRecord(this.file(name));
  }

  /** metrics.jsonl holds exactly `records` (rewritten atomically: on resume, records past the checkpoint are dropped). */
  rewriteMetrics(records: readonly unknown[]): void {
    writeFileAtomic(this.file(RUN_FILES.metrics), records.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  /** Writes the latest checkpoint atomically, keeping the one it replaces as the previous one. */
  saveCheckpoint(state: unknown): string {
    const file = this.file(RUN_FILES.checkpoint);
    writeCheckpointFile(file, state, { keepPreviousAs: this.file(RUN_FILES.previousCheckpoint) });
    return file;
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

  /** Temporary files (`<name>.tmp-<pid>`) can only be left by a crash or a failed write: the lock holder is the only writer. */
  private removeTemporaryFiles(log: (line: string) => void): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (!isTemporaryFileName(name)) continue;
      try {
        fs.rmSync(this.file(name), { force: true });
      } catch (error) {
        throw RunFileError.from(this.file(name), 'remove a stale temporary file', error);
      }
      log(`[ausam] removed ${this.file(name)}, a temporary file left by an interrupted write`);
    }
  }
}
