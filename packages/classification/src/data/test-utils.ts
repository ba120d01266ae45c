/* Helpers for the data tests (not exported by the package). */
import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DatasetFormatError, type DatasetErrorKind } from './errors';

/** A temporary folder, removed by {@link TempDirs.cleanup}. */
export class TempDirs {
  private dirs: string[] = [];

  /** A new empty folder. */
  make(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ausam-data-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A copy of the fixture folder `source`, to be broken by a test. */
  copy(source: string): string {
    const dir = join(this.make(), 'copy');
    cpSync(source, dir, { recursive: true });
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs = [];
  }
}

/** Awaits `action`, expecting a DatasetFormatError about `path` whose message matches `message`. */
export async function expectDatasetError(
  action: () => Promise<unknown>,
  path: string,
  message: string | RegExp,
  kind: DatasetErrorKind = 'malformed',
): Promise<DatasetFormatError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DatasetFormatError);
  const error = caught as DatasetFormatError;
  expect(error.name).toBe('DatasetFormatError');
  expect(error.path).toBe(path);
  expect(error.kind).toBe(kind);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  if (typeof message === 'string') expect(error.message).toBe(`${path}: ${message}`);
  else expect(error.message).toMatch(message);
  return error;
}
