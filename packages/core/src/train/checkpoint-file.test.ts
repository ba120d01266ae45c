import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckpointFormatError, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { zeroMiddleOfData } from './test-helpers';

describe('checkpoint files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-ckpt-'));

  it('round-trips nested state with raw Float32Arrays and leaves no temporary file', () => {
    const file = path.join(dir, 'a.ausam');
    const state = { step: 3, weights: { w: Float32Array.from([1.5, -2, 3e-8]) }, slots: [null, Float32Array.from([7])] };
    writeCheckpointFile(file, state);
    expect(readCheckpointFile(file)).toEqual(state);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('names the file and the problem for missing, foreign and truncated files', () => {
    expect(() => readCheckpointFile(path.join(dir, 'none.ausam'))).toThrow(/none.ausam: no such checkpoint file/);
    const foreign = path.join(dir, 'foreign.ausam');
    fs.writeFileSync(foreign, 'hello world, not a checkpoint');
    expect(() => readCheckpointFile(foreign)).toThrow(CheckpointFormatError);
    expect(() => readCheckpointFile(foreign)).toThrow(/expected an AUSAM checkpoint starting with 'AUSAMCK2'/);
    const file = path.join(dir, 'b.ausam');
    writeCheckpointFile(file, { w: new Float32Array(100) });
    const truncated = path.join(dir, 'truncated.ausam');
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, fs.statSync(file).size - 10));
    expect(() => readCheckpointFile(truncated)).toThrow(/tensor data truncated: expected 400 more bytes/);
  });

  it('finds 64 bytes zeroed in the middle of the tensor data: the file, the expected and the found checksum', () => {
    const file = path.join(dir, 'corrupt.ausam');
    const w = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) + 2);
    writeCheckpointFile(file, { step: 1, w });
    zeroMiddleOfData(file);
    expect(() => readCheckpointFile(file)).toThrow(CheckpointFormatError);
    expect(() => readCheckpointFile(file)).toThrow(
      new RegExp(`${file}: payload checksum mismatch: expected sha256 [0-9a-f]{64} \\(from the header\\), found [0-9a-f]{64} over \\d+ bytes`),
    );
  });

  it('reports a corrupt header as corrupt, not as a JSON syntax error', () => {
    const file = path.join(dir, 'header.ausam');
    writeCheckpointFile(file, { step: 1, note: 'x'.repeat(100) });
    const bytes = fs.readFileSync(file);
    bytes.fill(0x7b, 50, 60); // '{' in the middle of the header JSON
    fs.writeFileSync(file, bytes);
    expect(() => readCheckpointFile(file)).toThrow(/header is not valid JSON .*: the file is corrupt/);
  });

  it('still reads format-1 files (no checksum)', () => {
    const file = path.join(dir, 'v1.ausam');
    const header = Buffer.from(JSON.stringify({ w: { $float32: 0, length: 2 } }), 'utf8');
    const prefix = Buffer.alloc(12);
    prefix.write('AUSAMCK1', 0, 'latin1');
    prefix.writeUInt32LE(header.length, 8);
    fs.writeFileSync(file, Buffer.concat([prefix, header, Buffer.from(Float32Array.from([1, 2]).buffer)]));
    expect(readCheckpointFile(file)).toEqual({ w: Float32Array.from([1, 2]) });
  });

  it('keeps the checkpoint it replaces under keepPreviousAs', () => {
    const file = path.join(dir, 'latest.ausam');
    const previous = path.join(dir, 'previous.ausam');
    writeCheckpointFile(file, { epoch: 1 }, { keepPreviousAs: previous });
    expect(fs.existsSync(previous)).toBe(false);
    writeCheckpointFile(file, { epoch: 2 }, { keepPreviousAs: previous });
    writeCheckpointFile(file, { epoch: 3 }, { keepPreviousAs: previous });
    expect(readCheckpointFile(file)).toEqual({ epoch: 3 });
    expect(readCheckpointFile(previous)).toEqual({ epoch: 2 });
  });

  it('names the file when it cannot be read (a folder where the checkpoint should be)', () => {
    const file = path.join(dir, 'folder.ausam');
    fs.mkdirSync(file);
    expect(() => readCheckpointFile(file)).toThrow(`${file}: could not read: EISDIR: illegal operation on a directory, read`);
  });
});
