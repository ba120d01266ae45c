import { promises as fs } from 'fs';
import { DatasetFormatError } from './errors';

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Reads a whole file; a missing file or a folder in its place becomes a {@link DatasetFormatError}. */
export async function readDatasetFile(path: string): Promise<Uint8Array> {
  try {
    const buffer = await fs.readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (code(error) === 'ENOENT') throw new DatasetFormatError(path, 'file not found', 'missing');
    if (code(error) === 'EISDIR') throw new DatasetFormatError(path, 'expected a file, found a folder');
    throw error;
  }
}

/** Reads a text file, or returns undefined when it does not exist. */
export async function readOptionalText(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    if (code(error) === 'EISDIR') throw new DatasetFormatError(path, 'expected a file, found a folder');
    throw error;
  }
}

/** Throws a {@link DatasetFormatError} unless `path` is an existing folder. */
export async function requireDirectory(path: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    if (code(error) === 'ENOENT') throw new DatasetFormatError(path, 'folder not found', 'missing');
    throw error;
  }
  if (!stat.isDirectory()) throw new DatasetFormatError(path, 'expected a folder, found a file');
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (error) {
    if (code(error) === 'ENOENT') return false;
    throw error;
  }
}

/** The non-empty, trimmed lines of a text. */
export function nonEmptyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Class names from an optional one-name-per-line file (blank lines ignored), or `fallback` when
 * the file is absent. A present file must hold exactly `count` names.
 */
export async function readClassNames(path: string, count: number, fallback: readonly string[]): Promise<readonly string[]> {
  const text = await readOptionalText(path);
  if (text === undefined) return fallback;
  const names = nonEmptyLines(text);
  if (names.length !== count) throw new DatasetFormatError(path, `expected ${count} class names, found ${names.length}`);
  return names;
}
