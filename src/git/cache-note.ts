import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';

/**
 * The note choiros leaves beside its kept index (see stat-cache.ts) after a snapshot: which user
 * index and which kept index it was written for, and how the kept index must change to stand in
 * for that user index — known at the end of the snapshot from what `git add` removed or changed
 * and what the snapshot added (see `nextNote` in snapshot.ts). The next snapshot that finds both
 * files exactly as they were takes the change from the note instead of reading both indexes and
 * comparing them entry by entry before `add -u` can start: ~20 ms for 20,000 files, on the path
 * of every checkpoint an agent loop takes. (It reads the user's index only if the note after it
 * needs entries this one does not hold, while git writes the tree.)
 *
 * The note is only ever a shortcut to what the comparison would give. Anything it cannot vouch
 * for — an index that changed, a user index with flags, conflicts or submodules, a folder that
 * replaced a file — means no note, and the next snapshot compares. It vouches for which file the
 * kept index is, not for every byte in it: the snapshot still checks the kept index's checksum,
 * while git works, and starts over from a copy of the user's index if it fails.
 */

/**
 * Which file, exactly. git never rewrites an index in place: it renames a new file over it, so a
 * new write is a new inode; and an index ends with the hash of everything before it. The entry
 * count (from its header) comes with it.
 */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  trailer: string;
  entries: number;
}

/** An `update-index --index-info` record: the user's entry of a tracked file `git add` removed or changed. */
export interface NotedRecord {
  path: string;
  record: Buffer;
}

export interface CacheNote {
  /** The user's index the note was written against. */
  user: FileIdentity;
  /** The kept index as the snapshot left it. */
  cache: FileIdentity;
  /** The user's entries to put back: tracked files `git add` removed (deleted in the work tree) or changed. */
  records: NotedRecord[];
  /** The untracked files the kept index holds (the snapshot took them). */
  extra: string[];
}

interface StoredNote {
  version: 2;
  user: FileIdentity;
  cache: FileIdentity;
  records: Array<{ path: string; record: string }>;
  extra: string[];
}

/** The identity of an index from its stat and its bytes (the first 12 and the last `hashBytes`); undefined when they are not an index's. */
function identityOf(stats: BigIntStats, head: Buffer, tail: Buffer): FileIdentity | undefined {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  // An index written with `index.skipHash` ends in zeros: not a name for its content.
  if (tail.every((byte) => byte === 0)) return undefined;
  return { dev: String(stats.dev), ino: String(stats.ino), size: String(stats.size), mtimeNs: String(stats.mtimeNs), trailer: tail.toString('hex'), entries: head.readUInt32BE(8) };
}

/** The identity of an index file, reading only its ends; undefined when it cannot be read. */
export function readIdentity(path: string, hashBytes: number): FileIdentity | undefined {
  return withOpenFile(path, (fd, stats) => {
    const size = Number(stats.size);
    if (size < 12 + hashBytes) return undefined;
    const head = Buffer.alloc(12);
    const tail = Buffer.alloc(hashBytes);
    if (readSync(fd, head, 0, 12, 0) !== 12 || readSync(fd, tail, 0, hashBytes, size - hashBytes) !== hashBytes) return undefined;
    return identityOf(stats, head, tail);
  });
}

/** An index file's bytes and identity, from one open file (so they are the same file's); undefined when it cannot be read. */
export function readWithIdentity(path: string, hashBytes: number): { bytes: Buffer; identity: FileIdentity | undefined } | undefined {
  return withOpenFile(path, (fd, stats) => {
    const bytes = readFileSync(fd);
    const identity = bytes.length === Number(stats.size) && bytes.length >= 12 + hashBytes ? identityOf(stats, bytes, bytes.subarray(bytes.length - hashBytes)) : undefined;
    return { bytes, identity };
  });
}

function withOpenFile<T>(path: string, read: (fd: number, stats: BigIntStats) => T | undefined): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return read(fd, fstatSync(fd, { bigint: true }));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.trailer === b.trailer && a.entries === b.entries;
}

const isIdentity = (value: unknown): value is FileIdentity =>
  typeof value === 'object' &&
  value !== null &&
  ['dev', 'ino', 'size', 'mtimeNs', 'trailer'].every((key) => typeof (value as Record<string, unknown>)[key] === 'string') &&
  typeof (value as Record<string, unknown>).entries === 'number';

/** The note at `file`; undefined when there is none or it is not one this version wrote. */
export function readCacheNote(file: string): CacheNote | undefined {
  let stored: Partial<StoredNote>;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredNote>;
  } catch {
    return undefined;
  }
  const { version, user, cache, records, extra } = stored;
  if (version !== 2 || !isIdentity(user) || !isIdentity(cache) || !Array.isArray(records) || !Array.isArray(extra)) return undefined;
  if (!records.every((r) => typeof r?.path === 'string' && typeof r.record === 'string') || !extra.every((p) => typeof p === 'string')) return undefined;
  return { user, cache, records: records.map((r) => ({ path: r.path, record: Buffer.from(r.record, 'base64') })), extra };
}

/**
 * Writes the note whole or not at all: a temp file in `scratchDir` (the operation's own folder,
 * swept should the process die) renamed into place. Best effort: without it the next snapshot
 * compares.
 */
export function writeCacheNote(file: string, note: CacheNote, scratchDir: string): void {
  const stored: StoredNote = { version: 2, user: note.user, cache: note.cache, records: note.records.map((r) => ({ path: r.path, record: r.record.toString('base64') })), extra: note.extra };
  const temp = join(scratchDir, 'index.note');
  try {
    writeFileSync(temp, JSON.stringify(stored));
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
    removeCacheNote(file);
  }
}

export function removeCacheNote(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // A note that outlives its index never matches another one.
  }
}
