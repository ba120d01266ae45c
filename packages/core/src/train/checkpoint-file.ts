import * as fs from 'fs';
import * as path from 'path';

const MAGIC = 'AUSAMCK1';

/** A checkpoint file could not be read: names the file and what was wrong. */
export class CheckpointFormatError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'CheckpointFormatError';
  }
}

/**
 * Writes `state` (plain data whose Float32Arrays are stored raw, not as JSON) atomically: a temporary
 * file in the same folder is written and fsynced, then renamed over `file`, so a crash leaves either
 * the old checkpoint or the new one, never a torn one.
 */
export function writeCheckpointFile(file: string, state: unknown): void {
  const blobs: Float32Array[] = [];
  const header = JSON.stringify(state, (_key, value) => {
    if (value instanceof Float32Array) {
      blobs.push(value);
      return { $float32: blobs.length - 1, length: value.length };
    }
    return value;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, prefix);
    fs.writeSync(fd, headerBytes);
    for (const blob of blobs) fs.writeSync(fd, new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dir);
    fs.closeSync(dir);
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is still atomic.
  }
}

/** Reads a file written by {@link writeCheckpointFile}. */
export function readCheckpointFile<T>(file: string): T {
  if (!fs.existsSync(file)) throw new CheckpointFormatError(file, 'no such checkpoint file');
  const bytes = fs.readFileSync(file);
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new CheckpointFormatError(file, `expected an AUSAM checkpoint starting with '${MAGIC}'`);
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  if (headerStart + headerLength > bytes.length) {
    throw new CheckpointFormatError(file, `header of ${headerLength} bytes runs past the end (${bytes.length} bytes)`);
  }
  let offset = headerStart + headerLength;
  const state = JSON.parse(bytes.toString('utf8', headerStart, offset), (_key, value) => {
    if (value && typeof value === 'object' && typeof value.$float32 === 'number') {
      const byteLength = value.length * 4;
      if (offset + byteLength > bytes.length) {
        throw new CheckpointFormatError(file, `tensor data truncated: expected ${byteLength} more bytes at ${offset}, file has ${bytes.length}`);
      }
      const copy = new Float32Array(value.length);
      new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + byteLength));
      offset += byteLength;
      return copy;
    }
    return value;
  });
  if (offset !== bytes.length) {
    throw new CheckpointFormatError(file, `expected ${offset} bytes, found ${bytes.length}`);
  }
  return state as T;
}
