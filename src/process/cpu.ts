import { readFileSync } from 'node:fs';
import { listProcesses, treeOf } from './tree.js';

/** Clock ticks per second of /proc/PID/stat times: 100 on every Linux we run on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of one process, in ticks, from its /proc/PID/stat line. */
export function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of stat(5); after the command name, `state` is index 0, so utime is index 11.
  return [11, 12, 13, 14].reduce((sum, i) => sum + (Number(fields[i]) || 0), 0);
}

/**
 * CPU time used so far by a process tree (the root, its descendants and its session), in ms:
 * what tells a busy agent from a stuck one. Processes that ended and were reaped count in their
 * parent's cutime/cstime.
 */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const proc of treeOf([root], listProcesses())) {
    try {
      ticks += cpuTicks(readFileSync(`/proc/${proc.pid}/stat`, 'utf8'));
    } catch {
      // It ended while we looked.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
