import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who holds a lock file: enough to tell a live holder from a dead one whose pid was reused. */
export interface LockHolder {
  pid: number;
  /** The holder's start time in clock ticks since boot (/proc/PID/stat field 22). */
  startTicks: number | undefined;
  /** What it is doing, for messages: "running run-20261122-…", "rolling back". */
  doing: string;
  since: string;
  /** Anything else worth showing (a run id). */
  detail?: Record<string, string>;
}

/** When a process started, in clock ticks since boot (/proc/PID/stat field 22): a pid reused later differs. */
export function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const field = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return field === undefined ? undefined : Number(field);
  } catch {
    return undefined;
  }
}

/** True when the holder's process still runs: same pid *and* same start time. */
export function holderAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicksOf(holder.pid);
  return holder.startTicks === undefined || ticks === undefined || ticks === holder.startTicks;
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseHolder(text: string | undefined): LockHolder | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number') return undefined;
    return { pid: value.pid, startTicks: value.startTicks, doing: String(value.doing ?? 'working'), since: String(value.since ?? ''), ...(value.detail === undefined ? {} : { detail: value.detail }) };
  } catch {
    return undefined;
  }
}

/** The live holder of a lock, if any (a lock left by a dead process counts as free). */
export function lockHolder(path: string): LockHolder | undefined {
  const holder = parseHolder(readRaw(path));
  return holder !== undefined && holderAlive(holder) ? holder : undefined;
}

export type Acquired = { ok: true; release: () => void } | { ok: false; holder: LockHolder };

/**
 * Takes a lock file without waiting (O_EXCL create). A lock whose holder died — or whose pid now
 * belongs to a process started later — is taken over; the file is removed only if it still holds
 * the very text that was judged stale, which keeps two takers from both winning in practice.
 */
export function acquireLock(path: string, doing: string, detail?: Record<string, string>): Acquired {
  mkdirSync(dirname(path), { recursive: true });
  const me: LockHolder = { pid: process.pid, startTicks: startTicksOf(process.pid), doing, since: new Date().toISOString(), ...(detail === undefined ? {} : { detail }) };
  const text = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return { ok: true, release: () => (readRaw(path) === text ? rmSync(path, { force: true }) : undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = readRaw(path);
    const holder = parseHolder(seen);
    if (holder !== undefined && holderAlive(holder)) return { ok: false, holder };
    if (readRaw(path) === seen) rmSync(path, { force: true });
  }
  const holder = parseHolder(readRaw(path));
  return { ok: false, holder: holder ?? { pid: 0, startTicks: undefined, doing: 'holding an unreadable lock', since: '' } };
}
