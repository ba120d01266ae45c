import { readFileSync } from 'node:fs';
import { PoseDatasetFormatError } from './errors';

/** Reads and parses a JSON file, turning a missing file or a syntax error into a {@link PoseDatasetFormatError}. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PoseDatasetFormatError(file, `cannot read annotation file (${code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PoseDatasetFormatError(file, `expected valid JSON: ${(error as Error).message}`);
  }
}

/** A finite number, else a typed error naming `where`. */
export function expectNumber(value: unknown, file: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PoseDatasetFormatError(file, `${where}: expected a finite number, found ${describe(value)}`);
  }
  return value;
}

/** An array of exactly `length` finite numbers (any length when `length` is undefined). */
export function expectNumberArray(value: unknown, file: string, where: string, length?: number): number[] {
  if (!Array.isArray(value)) throw new PoseDatasetFormatError(file, `${where}: expected an array, found ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new PoseDatasetFormatError(file, `${where}: expected ${length} numbers, found ${value.length}`);
  }
  return value.map((v, i) => expectNumber(v, file, `${where}[${i}]`));
}

/** A JSON object (not null, not an array). */
export function expectObject(value: unknown, file: string, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PoseDatasetFormatError(file, `${where}: expected an object, found ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Short description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
