import { readFileSync } from 'node:fs';

/**
 * Reading git's index file directly (format: Documentation/gitformat-index.txt): one file read
 * instead of a `git ls-files` over every entry. Nothing here writes an index.
 */

/** Index entries git is told to look away from: a snapshot must clear these flags first. */
export interface HiddenEntries {
  /** `git update-index --assume-unchanged` (CE_VALID). */
  assumeUnchanged: string[];
  /** `--skip-worktree`, or a sparse checkout's "not checked out here". */
  skipWorktree: string[];
}

/** Flags: assume-unchanged, "extended flags follow", the stage (non-zero: a conflict), the name length. */
export const CE_VALID = 0x8000;
const CE_EXTENDED = 0x4000;
export const CE_STAGE_MASK = 0x3000;
const CE_NAME_MASK = 0x0fff;
/** Extended flags (index version 3 and up). */
export const CE_SKIP_WORKTREE = 0x4000;
export const CE_INTENT_TO_ADD = 0x2000;
/** An entry starts with ctime, mtime, dev, ino, mode, uid, gid and size (4 bytes each), then the object id. */
const STAT_BYTES = 40;
export const MODE_OFFSET = 24;
export const OID_OFFSET = STAT_BYTES;
/** A mode is 32 bits, big-endian: a gitlink's (0o160000) third byte is 0xE0, and no other mode's is. */
const GITLINK_BYTE = MODE_OFFSET + 2;
const GITLINK_HIGH = 0xe0;

/**
 * Where every entry of an index file is, without decoding a single name: the entry count of a
 * big repository (20,000 and up) makes a string per entry the dominant cost.
 */
export interface IndexLayout {
  buffer: Buffer;
  version: number;
  count: number;
  hashBytes: number;
  /** Offset of each entry in `buffer`, and after the last one where the entries end. */
  entry: Int32Array;
  /** Each name as a byte range of `names`: the file itself, or for version 4 (prefix-compressed names) a buffer of the expanded names. */
  names: Buffer;
  nameStart: Int32Array;
  nameLength: Int32Array;
  /** The 16-bit flags (assume-unchanged, extended, stage, name length) of each entry. */
  flags: Uint16Array;
  /** The extended flags (skip-worktree, intent-to-add) of each entry; 0 when it has none. */
  extended: Uint16Array;
  /** Every flag and extended flag bit set in some entry: most indexes have none worth a second look. */
  anyFlags: number;
  anyExtended: number;
  /** True when some entry is a gitlink (mode 160000: a submodule); most indexes have none. */
  anyGitlink: boolean;
}

/**
 * Lays out an index file. Returns undefined for anything it does not read with certainty (a split
 * or sparse index, an unknown version, a truncated file); callers then fall back to asking git.
 */
export function layoutIndex(buffer: Buffer, hashBytes: number): IndexLayout | undefined {
  if (buffer.length < 12 || buffer.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buffer.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = buffer.readUInt32BE(8);
  const end = buffer.length - hashBytes;
  if (count > end / (STAT_BYTES + hashBytes + 3)) return undefined;
  const layout: IndexLayout = {
    buffer,
    version,
    count,
    hashBytes,
    entry: new Int32Array(count + 1),
    names: version === 4 ? Buffer.allocUnsafe(Math.max(4096, end)) : buffer,
    nameStart: new Int32Array(count),
    nameLength: new Int32Array(count),
    flags: new Uint16Array(count),
    extended: new Uint16Array(count),
    anyFlags: 0,
    anyExtended: 0,
    anyGitlink: false,
  };
  const offset = version === 4 ? layoutV4(layout, end) : layoutV2(layout, end);
  if (offset === undefined || hasUnreadExtension(buffer, offset, end)) return undefined;
  layout.entry[count] = offset;
  return layout;
}

/**
 * Versions 2 and 3: each name is NUL-terminated and the entry padded to a multiple of eight
 * bytes. Written as one loop over raw bytes, with no call per entry: it runs cold, once per
 * command, over tens of thousands of entries.
 */
function layoutV2(layout: IndexLayout, end: number): number | undefined {
  const { buffer, count, entry, nameStart, nameLength, flags: allFlags, extended: allExtended } = layout;
  const fixed = STAT_BYTES + layout.hashBytes;
  const v3 = layout.version === 3;
  let anyFlags = 0;
  let anyExtended = 0;
  let anyGitlink = false;
  let offset = 12;
  for (let i = 0; i < count; i++) {
    const start = offset;
    let at = start + fixed;
    if (at + 2 > end) return undefined;
    const flags = ((buffer[at] ?? 0) << 8) | (buffer[at + 1] ?? 0);
    at += 2;
    let extended = 0;
    if ((flags & CE_EXTENDED) !== 0) {
      if (!v3 || at + 2 > end) return undefined;
      extended = ((buffer[at] ?? 0) << 8) | (buffer[at + 1] ?? 0);
      at += 2;
    }
    // The flags hold the name length unless it is 0xFFF or more; the NUL is the truth.
    let length = flags & CE_NAME_MASK;
    if (length === CE_NAME_MASK || buffer[at + length] !== 0) length = buffer.indexOf(0, at) - at;
    if (length < 0 || at + length >= end) return undefined;
    entry[i] = start;
    nameStart[i] = at;
    nameLength[i] = length;
    allFlags[i] = flags;
    allExtended[i] = extended;
    anyFlags |= flags;
    anyExtended |= extended;
    if (buffer[start + GITLINK_BYTE] === GITLINK_HIGH) anyGitlink = true;
    offset = start + ((at + length + 1 - start + 7) & ~7);
  }
  layout.anyFlags = anyFlags & ~CE_NAME_MASK;
  layout.anyExtended = anyExtended;
  layout.anyGitlink = anyGitlink;
  return offset;
}

/** Version 4: a name is the previous one minus N trailing bytes (N a git offset varint), then a NUL-terminated suffix; no padding. */
function layoutV4(layout: IndexLayout, end: number): number | undefined {
  const { buffer, count, hashBytes } = layout;
  let names = layout.names;
  let offset = 12;
  let previousStart = 0;
  let previousLength = 0;
  let used = 0;
  for (let i = 0; i < count; i++) {
    const start = offset;
    offset += STAT_BYTES + hashBytes;
    if (offset + 2 > end) return undefined;
    const flags = buffer.readUInt16BE(offset);
    offset += 2;
    let extended = 0;
    if ((flags & CE_EXTENDED) !== 0) {
      if (offset + 2 > end) return undefined;
      extended = buffer.readUInt16BE(offset);
      offset += 2;
    }
    let byte = buffer[offset++] ?? 0;
    let strip = byte & 0x7f;
    while ((byte & 0x80) !== 0) {
      byte = buffer[offset++] ?? 0;
      strip = ((strip + 1) << 7) | (byte & 0x7f);
    }
    const nul = buffer.indexOf(0, offset);
    if (nul < 0 || nul >= end || strip > previousLength) return undefined;
    const kept = previousLength - strip;
    const length = kept + nul - offset;
    if (used + length > names.length) {
      // Shared prefixes can make the expanded names longer than the file itself.
      const grown = Buffer.allocUnsafe(Math.max(names.length * 2, used + length));
      names.copy(grown, 0, 0, used);
      names = grown;
      layout.names = grown;
    }
    names.copy(names, used, previousStart, previousStart + kept);
    buffer.copy(names, used + kept, offset, nul);
    layout.entry[i] = start;
    layout.nameStart[i] = used;
    layout.nameLength[i] = length;
    layout.flags[i] = flags;
    layout.extended[i] = extended;
    layout.anyFlags |= flags & ~CE_NAME_MASK;
    layout.anyExtended |= extended;
    if (buffer[start + GITLINK_BYTE] === GITLINK_HIGH) layout.anyGitlink = true;
    previousStart = used;
    previousLength = length;
    used += length;
    offset = nul + 1;
  }
  return offset;
}

/** A split index (`link`) keeps entries in another file; a sparse index (`sdir`) folds folders. */
function hasUnreadExtension(buffer: Buffer, offset: number, end: number): boolean {
  while (offset + 8 <= end) {
    const signature = buffer.toString('latin1', offset, offset + 4);
    if (signature === 'link' || signature === 'sdir') return true;
    offset += 8 + buffer.readUInt32BE(offset + 4);
  }
  return false;
}

export function entryName(layout: IndexLayout, i: number): string {
  const start = layout.nameStart[i] ?? 0;
  return layout.names.toString('utf8', start, start + (layout.nameLength[i] ?? 0));
}

/** The entry named `name` (bytes), by binary search (an index is sorted by name); -1 when there is none. */
export function findEntry(layout: IndexLayout, name: Buffer): number {
  let low = 0;
  let high = layout.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = layout.nameStart[middle] ?? 0;
    const order = layout.names.compare(name, 0, name.length, start, start + (layout.nameLength[middle] ?? 0));
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

export function entryMode(layout: IndexLayout, i: number): number {
  return layout.buffer.readUInt32BE((layout.entry[i] ?? 0) + MODE_OFFSET);
}

export function entryOid(layout: IndexLayout, i: number): string {
  const start = (layout.entry[i] ?? 0) + OID_OFFSET;
  return layout.buffer.toString('hex', start, start + layout.hashBytes);
}

export function isAssumeUnchanged(layout: IndexLayout, i: number): boolean {
  return ((layout.flags[i] ?? 0) & CE_VALID) !== 0;
}

export function isSkipWorktree(layout: IndexLayout, i: number): boolean {
  return ((layout.extended[i] ?? 0) & CE_SKIP_WORKTREE) !== 0;
}

/**
 * Finds assume-unchanged and skip-worktree entries. Returns undefined for anything it does not
 * read with certainty; the caller then asks git.
 */
export function parseHiddenEntries(buffer: Buffer, hashBytes: number): HiddenEntries | undefined {
  const layout = layoutIndex(buffer, hashBytes);
  if (layout === undefined) return undefined;
  const hidden: HiddenEntries = { assumeUnchanged: [], skipWorktree: [] };
  if ((layout.anyFlags & CE_VALID) === 0 && (layout.anyExtended & CE_SKIP_WORKTREE) === 0) return hidden;
  for (let i = 0; i < layout.count; i++) {
    if (isAssumeUnchanged(layout, i)) hidden.assumeUnchanged.push(entryName(layout, i));
    if (isSkipWorktree(layout, i)) hidden.skipWorktree.push(entryName(layout, i));
  }
  return hidden;
}

/**
 * True when the file ends with the hash of everything before it, as git writes every index. git
 * itself does not check it when reading (only `git fsck` does), and trusts an entry's object id
 * whenever the file's stat matches: in an index damaged on disk (a power cut after a write that
 * was never flushed), a changed id would be taken for the file's content without a word. An
 * index written with `index.skipHash` (a zero trailer) cannot be checked, and does not pass.
 */
export function checksumMatches(buffer: Buffer, hashBytes: number): boolean {
  if (buffer.length < 12 + hashBytes) return false;
  const end = buffer.length - hashBytes;
  // Loaded here, not at the top: node's crypto costs ~5 ms to load, and most snapshots check the
  // kept index while git is at work, not before (see snapshot.ts).
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash(hashBytes === 20 ? 'sha1' : 'sha256').update(buffer.subarray(0, end)).digest();
  return digest.equals(buffer.subarray(end));
}

/** The index file's bytes; an empty index when there is none yet (a fresh repository); undefined when unreadable. */
export function readIndexFile(indexFile: string): Buffer | undefined {
  try {
    return readFileSync(indexFile);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? EMPTY_INDEX : undefined;
  }
}

/** A version 2 index with no entries (its checksum is never read here). */
const EMPTY_INDEX = Buffer.concat([Buffer.from('DIRC'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]), Buffer.alloc(32)]);

export function readHiddenEntries(indexFile: string, hashBytes: number): HiddenEntries | undefined {
  const buffer = readIndexFile(indexFile);
  return buffer === undefined ? undefined : parseHiddenEntries(buffer, hashBytes);
}
