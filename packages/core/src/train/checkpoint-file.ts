import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { RunFileError, writeFileAtomic } from './atomic-file';

/** Format 2: magic, u32 header length, sha256 of everything after the prefix, header JSON, raw float32 data. */
const MAGIC = 'AUSAMCK2';
/** Format 1 (no checksum) is still read. */
const MAGIC_V1 = 'AUSAMCK1';
const DIGEST_BYTES = 32;

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

export interface WriteCheckpointOptions {
  /**
   * Keep the checkpoint `file` replaces under this name (e.g. `checkpoint.prev.ausam`): the last two
   * survive, so a latest one found corrupt costs one checkpoint interval, not the run.
   */
  keepPreviousAs?: string;
}

/**
 * Writes `state` (plain data whose Float32Arrays are stored raw, not as JSON) atomically: a temporary
 * file in the same folder is written and fsynced, then renamed over `file`, so a crash leaves either
 * the old checkpoint or the new one, never a torn one. The header carries a sha256 of the payload,
 * checked by {@link readCheckpointFile}. A failed write (e.g. a full disk) removes its temporary file
 * and throws a `RunFileError` naming `file`.
 */
export function writeCheckpointFile(file: string, state: unknown, options: WriteCheckpointOptions = {}): void {
  const blobs: Uint8Array[] = [];
  const header = JSON.stringify(state, (_key, value) => {
    if (value instanceof Float32Array) {
      blobs.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return { $float32: blobs.length - 1, length: value.length };
    }
    return value;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const digest = createHash('sha256').update(headerBytes);
  for (const blob of blobs) digest.update(blob);
  const prefix = Buffer.alloc(MAGIC.length + 4 + DIGEST_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  digest.digest().copy(prefix, MAGIC.length + 4);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const keepPrevious = options.keepPreviousAs;
  writeFileAtomic(file, [prefix, headerBytes, ...blobs], () => {
    if (keepPrevious && fs.existsSync(file)) fs.renameSync(file, keepPrevious);
  });
}

/** Reads a file written by {@link writeCheckpointFile}, verifying its checksum. */
export function readCheckpointFile<T>(file: string): T {
  if (!fs.existsSync(file)) throw new CheckpointFormatError(file, 'no such checkpoint file');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw RunFileError.from(file, 'read', error);
  }
  const magic = bytes.length >= MAGIC.length ? bytes.toString('latin1', 0, MAGIC.length) : '';
  if (magic !== MAGIC && magic !== MAGIC_V1) {
    throw new CheckpointFormatError(file, `expected an AUSAM checkpoint starting with '${MAGIC}' (or '${MAGIC_V1}')`);
  }
  const headerStart = MAGIC.length + 4 + (magic === MAGIC ? DIGEST_BYTES : 0);
  if (bytes.length < headerStart) throw new CheckpointFormatError(file, `expected at least ${headerStart} bytes, found ${bytes.length}`);
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  if (headerStart + headerLength > bytes.length) {
    throw new CheckpointFormatError(file, `header of ${headerLength} bytes runs past the end (${bytes.length} bytes)`);
  }
  let offset = headerStart + headerLength;
  const state = parseHeader(file, bytes.toString('utf8', headerStart, offset), (_key, value) => {
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
  // After the layout checks, so a truncated file is reported as truncated.
  if (magic === MAGIC) verifyChecksum(file, bytes, headerStart);
  return state as T;
}

function parseHeader(file: string, header: string, reviver: (key: string, value: any) => unknown): unknown {
  try {
    return JSON.parse(header, reviver);
  } catch (error) {
    if (error instanceof CheckpointFormatError) throw error;
    throw new CheckpointFormatError(file, `header is not valid JSON (${(error as Error).message}): the file is corrupt`);
  }
}

function verifyChecksum(file: string, bytes: Buffer, payloadStart: number): void {
  const expected = bytes.toString('hex', MAGIC.length + 4, MAGIC.length + 4 + DIGEST_BYTES);
  const found = createHash('sha256').update(bytes.subarray(payloadStart)).digest('hex');
  if (found !== expected) {
    throw new CheckpointFormatError(
      file,
      `payload checksum mismatch: expected sha256 ${expected} (from the header), found ${found} over ${bytes.length - payloadStart} bytes: the file is corrupt`,
    );
  }
}
