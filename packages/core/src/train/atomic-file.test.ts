import * as fs from 'fs';
import * as path from 'path';
import { readJsonRecord, RunFileError, temporaryFileFor, writeFileAtomic, writeJsonAtomic } from './atomic-file';
import { writeCheckpointFile } from './checkpoint-file';
import { temporaryFolder } from './test-helpers';

describe('atomic run files', () => {
  it('writes the whole content and leaves no temporary file', () => {
    const dir = temporaryFolder('ausam-atomic-');
    const file = path.join(dir, 'config.json');
    writeJsonAtomic(file, { seed: 1, method: { method: 'sam' } });
    expect(fs.readFileSync(file, 'utf8')).toBe('{\n  "seed": 1,\n  "method": {\n    "method": "sam"\n  }\n}\n');
    writeFileAtomic(file, [Buffer.from('ab'), Buffer.from('cd')]);
    expect(fs.readFileSync(file, 'utf8')).toBe('abcd');
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it('on a full disk (ENOSPC) names the file, keeps the old content and removes its temporary file', () => {
    const dir = temporaryFolder('ausam-atomic-');
    for (const name of ['config.json', 'checkpoint.ausam']) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, 'old content');
      // Writes through this link go to /dev/full, which fails every write with ENOSPC.
      fs.symlinkSync('/dev/full', temporaryFileFor(file));
      const write = () => (name === 'config.json' ? writeJsonAtomic(file, { seed: 7 }) : writeCheckpointFile(file, { w: new Float32Array(4) }));
      expect(write).toThrow(RunFileError);
      fs.symlinkSync('/dev/full', temporaryFileFor(file));
      expect(write).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: could not write: ENOSPC: no space left on device`));
      expect(fs.readFileSync(file, 'utf8')).toBe('old content');
      expect(fs.existsSync(temporaryFileFor(file))).toBe(false);
    }
  });

  it('names the file when a record is missing, empty or not JSON', () => {
    const dir = temporaryFolder('ausam-atomic-');
    const file = path.join(dir, 'config.json');
    expect(() => readJsonRecord(file)).toThrow(`${file}: could not read: ENOENT`);
    fs.writeFileSync(file, '');
    expect(() => readJsonRecord(file)).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: could not parse: not valid JSON \\(.*\\): the file is empty$`));
    fs.writeFileSync(file, '{"seed": 1');
    expect(() => readJsonRecord(file)).toThrow(`${file}: could not parse: not valid JSON`);
  });
});
