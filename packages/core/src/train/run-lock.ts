import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunFileError } from './atomic-file';

/** The lock file of a run folder: held by the one process writing into the folder. */
export const LOCK_FILE = 'run.lock';

/** Who holds a run folder's lock, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601 time the holder took the lock. */
  readonly startedAt: string;
}

/** Another run holds the folder's lock: names it (pid, host, start time) and the lock file. */
export class RunLockHeldError extends Error {
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? `process ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : 'a process whose lock file is unreadable';
    super(
      `${dir} is in use by another run (${who}): wait for it to finish or stop it; ` +
        `if no run is using the folder, delete ${lockFile}`,
    );
    this.name = 'RunLockHeldError';
  }
}

/** A lock taken by {@link acquireRunLock}. */
export interface RunLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file (idempotent). Also runs when the process exits. */
  release(): void;
}

/** An unreadable lock file younger than this may still be being written by its creator. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * Takes the exclusive lock of run folder `dir` (which must exist): creates `run.lock` with O_EXCL
 * holding this process's pid, host and start time. A lock left by a process that is gone (same host,
 * pid no longer running) is stale and taken over; a live holder makes this throw
 * {@link RunLockHeldError} at once. The lock is released by `release()` or when the process exits
 * (crash included); only a kill -9 leaves it, and the next run finds it stale.
 */
export function acquireRunLock(dir: string, now: () => Date = () => new Date()): RunLock {
  const file = path.join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: now().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw RunFileError.from(file, 'create the lock file', error);
      const existing = readHolder(file);
      if (!isStale(file, existing)) throw new RunLockHeldError(dir, file, existing);
      fs.rmSync(file, { force: true });
      continue;
    }
    try {
      fs.writeSync(fd, JSON.stringify(holder) + '\n');
      fs.fsyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw RunFileError.from(file, 'write the lock file', error);
    }
    fs.closeSync(fd);
    return lockHeldBy(file, holder);
  }
  // Two runs took over the same stale lock at once and the other one won.
  throw new RunLockHeldError(dir, file, readHolder(file));
}

function lockHeldBy(file: string, holder: LockHolder): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    // Only our own lock: after a stale take-over by another run the file is theirs.
    const current = readHolder(file);
    if (current?.pid === holder.pid && current.startedAt === holder.startedAt) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, holder, release };
}

/** The holder a lock file names, or undefined when it is missing or unreadable. */
export function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(value?.pid) && typeof value.host === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string, holder: LockHolder | undefined): boolean {
  if (!holder) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    } catch {
      return true; // removed meanwhile
    }
  }
  // A process on another host (a shared file system) cannot be checked: its lock holds.
  if (holder.host !== os.hostname()) return false;
  return !processIsRunning(holder.pid);
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
