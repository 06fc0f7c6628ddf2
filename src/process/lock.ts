import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
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

/**
 * A name beside `path` that no other taker uses: the pid, and random letters for processes with
 * the same pid in other pid namespaces sharing the folder. (Math.random, seeded per process, not
 * `crypto.randomBytes`: loading node's crypto costs ~5 ms, on the path of every checkpoint.)
 */
function ownName(path: string, suffix = ''): string {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}${suffix}`;
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
 * Creates `path` holding `text`, or returns false when it exists. The text is written to a file
 * of our own first and hard-linked into place, so the lock is never seen empty: an `O_EXCL`
 * create followed by a write leaves a moment when another taker reads no holder, judges the
 * lock stale and takes it too (seen with a handful of processes contending).
 */
function createHolding(path: string, text: string): boolean {
  const own = ownName(path);
  try {
    // Inside the try: a write that fails (a full disk) must not leave its empty file behind.
    writeFileSync(own, text, { mode: 0o644 });
    linkSync(own, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create, and its short window.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createExclusive(path, text);
    throw error;
  } finally {
    rmSync(own, { force: true });
  }
}

/**
 * The fallback for file systems without hard links: an `O_EXCL` create, then the write. A write
 * the file system refuses (a full disk) must not leave the lock file behind, empty: it is
 * removed — if it is still ours (another taker may have judged the empty file stale and put its
 * own in place meanwhile). `write` is a port for tests.
 */
export function createExclusive(path: string, text: string, write: typeof writeSync = writeSync): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const bytes = Buffer.from(text);
    // A write may stop short (the disk filled up halfway): the next one reports why.
    for (let at = 0; at < bytes.length; ) at += write(fd, bytes, at, bytes.length - at);
  } catch (error) {
    removeIfSame(path, fstatSync(fd));
    throw error;
  } finally {
    closeSync(fd);
  }
  return true;
}

function removeIfSame(path: string, ours: Stats): void {
  try {
    const now = statSync(path);
    if (now.ino === ours.ino && now.dev === ours.dev) rmSync(path, { force: true });
  } catch {
    // Gone already: nothing of ours to remove.
  }
}

/**
 * Removes a lock judged stale from the text `seen`. It is moved aside first (atomic), and put
 * back when what was moved is not what was judged: another taker replaced the stale lock
 * between our reading and our removing, and its lock is live.
 */
function removeStale(path: string, seen: string | undefined): void {
  const aside = ownName(path, '.stale');
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  try {
    if (readRaw(aside) !== seen) linkSync(aside, path);
  } catch {
    // Someone took the lock meanwhile: theirs stands.
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Takes a lock file without waiting. A lock whose holder died — or whose pid now belongs to a
 * process started later — is taken over.
 */
export function acquireLock(path: string, doing: string, detail?: Record<string, string>): Acquired {
  mkdirSync(dirname(path), { recursive: true });
  const me: LockHolder = { pid: process.pid, startTicks: startTicksOf(process.pid), doing, since: new Date().toISOString(), ...(detail === undefined ? {} : { detail }) };
  const text = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createHolding(path, text)) return { ok: true, release: () => (readRaw(path) === text ? rmSync(path, { force: true }) : undefined) };
    const seen = readRaw(path);
    const holder = parseHolder(seen);
    if (holder !== undefined && holderAlive(holder)) return { ok: false, holder };
    if (seen !== undefined) removeStale(path, seen);
  }
  const holder = parseHolder(readRaw(path));
  return { ok: false, holder: holder ?? { pid: 0, startTicks: undefined, doing: 'holding an unreadable lock', since: '' } };
}
