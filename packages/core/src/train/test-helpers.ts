import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Zeroes `count` bytes in the middle of a (format 2) checkpoint's raw tensor data, after its JSON header. */
export function zeroMiddleOfData(file: string, count = 64): void {
  const bytes = fs.readFileSync(file);
  const dataStart = 8 + 4 + 32 + bytes.readUInt32LE(8);
  if (bytes.length - dataStart < count) throw new RangeError(`${file}: only ${bytes.length - dataStart} bytes of tensor data`);
  const start = dataStart + Math.floor((bytes.length - dataStart - count) / 2);
  bytes.fill(0, start, start + count);
  fs.writeFileSync(file, bytes);
}

export function temporaryFolder(prefix = 'ausam-trainer-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
