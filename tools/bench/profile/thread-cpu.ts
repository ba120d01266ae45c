import * as fs from 'node:fs';

/** CPU ticks (user + system, 1/100 s) of every thread of this process, from /proc (Linux only). */
export function threadCpuTicks(): number[] {
  return fs.readdirSync('/proc/self/task').map((task) => {
    const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  });
}

/** Per-thread ticks spent between two {@link threadCpuTicks} snapshots, busiest first, idle threads dropped. */
export function busyThreads(before: readonly number[], after: readonly number[]): number[] {
  return after
    .map((ticks, i) => ticks - (before[i] ?? 0))
    .filter((ticks) => ticks > 0)
    .sort((a, b) => b - a);
}
