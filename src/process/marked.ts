import { readFileSync, statSync } from 'node:fs';
import { listProcesses, type ProcessInfo } from './tree.js';

export interface MarkQuery {
  /** Variables a process's environment must carry, each with exactly this value. */
  marker: Readonly<Record<string, string>>;
  /**
   * Our tmux servers (the pane processes' parent). A process under any other tmux server — one
   * a window started, say — belongs to that server, mark or not; ours are never taken either.
   */
  servers: ReadonlySet<number>;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function ownerOf(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

function carries(pid: number, entries: readonly string[]): boolean {
  const environ = readProc(pid, 'environ');
  if (environ === undefined || environ === '') return false;
  const padded = `\0${environ}\0`;
  return entries.every((entry) => padded.includes(`\0${entry}\0`));
}

/** This process and the ones it runs under: `choiros stop` typed into a window carries the mark. */
function selfAndAncestors(byPid: ReadonlyMap<number, ProcessInfo>): Set<number> {
  const mine = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !mine.has(pid); pid = byPid.get(pid)?.ppid) mine.add(pid);
  return mine;
}

function underOtherServer(proc: ProcessInfo, byPid: ReadonlyMap<number, ProcessInfo>, servers: ReadonlySet<number>): boolean {
  const seen = new Set<number>();
  for (let p: ProcessInfo | undefined = proc; p !== undefined && p.pid > 1 && !seen.has(p.pid); p = byPid.get(p.ppid)) {
    if (servers.has(p.pid)) return false;
    // tmux names its server process so (prctl), whatever the command line says.
    if (readProc(p.pid, 'comm')?.trim() === 'tmux: server') return true;
    seen.add(p.pid);
  }
  return false;
}

/**
 * This user's live processes whose environment carries the marker. A process that detaches
 * itself (`setsid -f`, a daemon's double fork) leaves its window's tree and session, but keeps the
 * environment it was started with, and with it the session's mark (Linux: /proc/PID/environ).
 * Never this process or its ancestors, never another tmux server or what runs under it.
 */
export function markedProcesses(query: MarkQuery, all: readonly ProcessInfo[] = listProcesses()): number[] {
  const uid = process.getuid?.();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const mine = selfAndAncestors(byPid);
  const entries = Object.entries(query.marker).map(([key, value]) => `${key}=${value}`);
  // An empty mark would match everyone.
  if (entries.length === 0) return [];
  return all
    .filter((p) => p.state !== 'Z' && !mine.has(p.pid) && !query.servers.has(p.pid))
    .filter((p) => uid === undefined || ownerOf(p.pid) === uid)
    .filter((p) => carries(p.pid, entries) && !underOtherServer(p, byPid, query.servers))
    .map((p) => p.pid);
}
