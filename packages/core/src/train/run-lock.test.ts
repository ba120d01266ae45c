import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireRunLock, LOCK_FILE, readHolder, RunLockHeldError } from './run-lock';
import { temporaryFolder } from './test-helpers';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('run folder lock', () => {
  it('is exclusive: a second taker fails at once, naming the holder; release frees it', () => {
    const dir = temporaryFolder('ausam-lock-');
    const lock = acquireRunLock(dir, () => new Date('2026-12-06T10:00:00Z'));
    const file = path.join(dir, LOCK_FILE);
    expect(readHolder(file)).toEqual({ pid: process.pid, host: os.hostname(), startedAt: '2026-12-06T10:00:00.000Z' });
    expect(() => acquireRunLock(dir)).toThrow(RunLockHeldError);
    expect(() => acquireRunLock(dir)).toThrow(
      `${dir} is in use by another run (process ${process.pid} on ${os.hostname()}, started 2026-12-06T10:00:00.000Z): ` +
        `wait for it to finish or stop it; if no run is using the folder, delete ${file}`,
    );
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    lock.release();
    const again = acquireRunLock(dir);
    again.release();
  });

  it('takes over a stale lock whose process is gone (e.g. after kill -9)', () => {
    const dir = temporaryFolder('ausam-lock-');
    const file = path.join(dir, LOCK_FILE);
    const pid = deadPid();
    fs.writeFileSync(file, JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-12-06T09:00:00.000Z' }));
    const lock = acquireRunLock(dir);
    expect(readHolder(file)?.pid).toBe(process.pid);
    lock.release();
  });

  it("keeps a lock held on another host, and a fresh unreadable one, and never removes another run's lock", () => {
    const dir = temporaryFolder('ausam-lock-');
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), host: 'another-host', startedAt: '2026-12-06T09:00:00.000Z' }));
    expect(() => acquireRunLock(dir)).toThrow(/in use by another run \(process \d+ on another-host/);
    fs.writeFileSync(file, '');
    expect(() => acquireRunLock(dir)).toThrow(/in use by another run \(a process whose lock file is unreadable\)/);
    fs.rmSync(file);
    const lock = acquireRunLock(dir);
    const theirs = JSON.stringify({ pid: process.pid + 1, host: os.hostname(), startedAt: '2026-12-06T09:00:00.000Z' });
    fs.writeFileSync(file, theirs);
    lock.release();
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('is released when the process exits', () => {
    const dir = temporaryFolder('ausam-lock-');
    const script = `require(${JSON.stringify(path.join(__dirname, 'run-lock.ts'))}).acquireRunLock(${JSON.stringify(dir)}); process.stdout.write(String(require('fs').existsSync(${JSON.stringify(path.join(dir, LOCK_FILE))}))); process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
    expect(child.stdout).toBe('true');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
