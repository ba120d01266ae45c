import * as fs from 'fs';
import * as path from 'path';
import { checkOutputPath, maxPathLength, OutputPathError } from './output-path';
import { temporaryFolder } from './test-helpers';

const LONGEST = 'checkpoint.prev.ausam.tmp-123456';

describe('output path checks', () => {
  it('accepts an existing folder and one that can be created, creating nothing', () => {
    const dir = temporaryFolder('ausam-output-');
    expect(() => checkOutputPath(dir, LONGEST)).not.toThrow();
    expect(() => checkOutputPath(path.join(dir, 'a', 'b'), LONGEST)).not.toThrow();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a path that is a file, or lies under a file, instead of EEXIST / ENOENT later', () => {
    const dir = temporaryFolder('ausam-output-');
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'x');
    expect(() => checkOutputPath(file, LONGEST)).toThrow(OutputPathError);
    expect(() => checkOutputPath(file, LONGEST)).toThrow(`output folder ${file}: is a file, expected a folder`);
    expect(() => checkOutputPath(path.join(file, 'run'), LONGEST)).toThrow(`output folder ${path.join(file, 'run')}: ${file} is a file, so the folder cannot be created in it`);
  });

  it('refuses a path whose files would exceed the OS limits, before any epoch is trained', () => {
    const dir = temporaryFolder('ausam-output-');
    const deep = path.join(dir, ...Array.from({ length: 41 }, () => 'x'.repeat(99)));
    expect(() => checkOutputPath(deep, LONGEST, 'linux')).toThrow(/too long: its files' paths reach \d+ bytes \(checkpoint\.prev\.ausam\.tmp-123456\), the OS allows 4095/);
    expect(maxPathLength('darwin')).toBe(1023);
    const wide = path.join(dir, 'y'.repeat(300));
    expect(() => checkOutputPath(wide, LONGEST, 'linux')).toThrow(/a name in it is 300 bytes long \('yyyyyyyyyyyyyyyyyyyy…'\), the OS allows 255/);
  });
});
