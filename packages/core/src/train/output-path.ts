import * as fs from 'fs';
import * as path from 'path';

/** A run's output folder cannot be used: names the path and what is wrong with it. */
export class OutputPathError extends Error {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`output folder ${dir}: ${detail}`);
    this.name = 'OutputPathError';
  }
}

/** Longest path the OS accepts, in bytes, terminator excluded (Linux PATH_MAX 4096, macOS 1024, Windows MAX_PATH 260). */
export function maxPathLength(platform: NodeJS.Platform = process.platform): number {
  if (platform === 'darwin') return 1023;
  if (platform === 'win32') return 259;
  return 4095;
}

/** Longest file name component (NAME_MAX on Linux and macOS, Windows alike). */
const MAX_NAME_LENGTH = 255;

/**
 * Checks, before anything is trained, that `dir` can hold a run whose longest file name is
 * `longestFileName`: it is a folder or can be created (its nearest existing ancestor is a writable
 * folder), it is writable, and every path in it stays within the OS's limits. Throws
 * {@link OutputPathError} instead of a later ENOENT / EEXIST / ENAMETOOLONG.
 */
export function checkOutputPath(dir: string, longestFileName: string, platform: NodeJS.Platform = process.platform): void {
  const absolute = path.resolve(dir);
  const longest = path.join(absolute, longestFileName);
  const limit = maxPathLength(platform);
  if (Buffer.byteLength(longest) > limit) {
    throw new OutputPathError(dir, `too long: its files' paths reach ${Buffer.byteLength(longest)} bytes (${longestFileName}), the OS allows ${limit}`);
  }
  const tooLong = absolute.split(path.sep).find((part) => Buffer.byteLength(part) > MAX_NAME_LENGTH);
  if (tooLong !== undefined) {
    throw new OutputPathError(dir, `a name in it is ${Buffer.byteLength(tooLong)} bytes long ('${tooLong.slice(0, 20)}…'), the OS allows ${MAX_NAME_LENGTH}`);
  }
  let existing = absolute;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) {
    throw new OutputPathError(dir, existing === absolute ? 'is a file, expected a folder' : `${existing} is a file, so the folder cannot be created in it`);
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new OutputPathError(dir, existing === absolute ? 'is not writable' : `cannot be created: ${existing} is not writable`);
  }
}
