import * as fs from 'fs';
import * as path from 'path';

/** Reading or writing a file of a run failed: names the file, the operation and the system's reason. */
export class RunFileError extends Error {
  constructor(
    readonly file: string,
    readonly operation: string,
    readonly code: string | undefined,
    reason: string,
  ) {
    super(`${file}: could not ${operation}: ${reason}`);
    this.name = 'RunFileError';
  }

  /** Wraps a Node.js system error (e.g. `ENOSPC: no space left on device, write`, which names no file). */
  static from(file: string, operation: string, error: unknown): RunFileError {
    if (error instanceof RunFileError) return error;
    const code = (error as NodeJS.ErrnoException)?.code;
    // Node's own errors may come from another realm (jest's vm): no `instanceof Error`.
    const message = (error as { message?: unknown })?.message;
    return new RunFileError(file, operation, code, typeof message === 'string' ? message : String(error));
  }
}

/** The temporary file {@link writeFileAtomic} writes before renaming it over `file`. */
export function temporaryFileFor(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** True for names {@link temporaryFileFor} makes: `<name>.tmp-<pid>`. */
export function isTemporaryFileName(name: string): boolean {
  return /\.tmp-\d+$/.test(name);
}

/**
 * Writes `chunks` to `file` atomically: a temporary file in the same folder is written and fsynced,
 * then renamed over `file` (and the folder fsynced), so a crash or a full disk leaves either the old
 * content or the new one, never a torn or empty file. On failure the temporary file is removed and a
 * {@link RunFileError} names `file`. `beforeRename` runs between the fsync and the rename (e.g. to
 * keep the file being replaced under another name).
 */
export function writeFileAtomic(file: string, chunks: string | readonly Uint8Array[], beforeRename?: () => void): void {
  const temporary = temporaryFileFor(file);
  try {
    const fd = fs.openSync(temporary, 'w');
    try {
      if (typeof chunks === 'string') fs.writeSync(fd, chunks);
      else for (const chunk of chunks) fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    beforeRename?.();
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw RunFileError.from(file, 'write', error);
  }
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is still atomic.
  }
}

/** `value` as pretty JSON with a final newline, written with {@link writeFileAtomic}. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads and parses a JSON file of a run; a missing, unreadable or invalid file is a {@link RunFileError} naming it. */
export function readJsonRecord(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw RunFileError.from(file, 'read', error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RunFileError(file, 'parse', undefined, `not valid JSON (${(error as { message?: string }).message})${text.length === 0 ? ': the file is empty' : ''}`);
  }
}
