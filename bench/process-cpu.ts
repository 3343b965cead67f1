import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// /proc/<pid>/stat counts CPU in clock ticks (USER_HZ), 100 a second on Linux almost always.
let ticksPerSecond: number | undefined;

/**
 * The CPU time (user + system) another process has used so far, in microseconds, from
 * `/proc/<pid>/stat`; `undefined` where there is no `/proc` (macOS). CPU per request stays
 * meaningful on a loaded machine, where throughput depends on what else runs.
 */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks / ticksPerSecond) * 1e6;
}
