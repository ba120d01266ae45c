import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckpointFormatError, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';

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
    expect(() => readCheckpointFile(foreign)).toThrow(/expected an AUSAM checkpoint starting with 'AUSAMCK1'/);
    const file = path.join(dir, 'b.ausam');
    writeCheckpointFile(file, { w: new Float32Array(100) });
    const truncated = path.join(dir, 'truncated.ausam');
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, fs.statSync(file).size - 10));
    expect(() => readCheckpointFile(truncated)).toThrow(/tensor data truncated: expected 400 more bytes/);
  });
});
