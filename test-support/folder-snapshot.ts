import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Every file of `dir`, by name, as the sha256 of its bytes: two snapshots are equal when no file was
 * added, removed or changed (hashes, since jest compares large Buffers byte by byte, slowly).
 */
export function snapshotFolder(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')]));
}
