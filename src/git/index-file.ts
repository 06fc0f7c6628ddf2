import { readFileSync } from 'node:fs';

/** Index entries git is told to look away from: a snapshot must clear these flags first. */
export interface HiddenEntries {
  /** `git update-index --assume-unchanged` (CE_VALID). */
  assumeUnchanged: string[];
  /** `--skip-worktree`, or a sparse checkout's "not checked out here". */
  skipWorktree: string[];
}

const CE_VALID = 0x8000;
const CE_EXTENDED = 0x4000;
const CE_SKIP_WORKTREE = 0x4000;
const STAT_BYTES = 40;

/**
 * Finds assume-unchanged and skip-worktree entries by reading the index file directly (format:
 * Documentation/gitformat-index.txt) — one file read instead of a `git ls-files -v` over every
 * entry. Returns undefined for anything it does not read with certainty (a split or sparse
 * index, an unknown version, a truncated file); the caller then asks git.
 */
export function parseHiddenEntries(buffer: Buffer, hashBytes: number): HiddenEntries | undefined {
  if (buffer.length < 12 || buffer.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buffer.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = buffer.readUInt32BE(8);
  const end = buffer.length - hashBytes;
  const hidden: HiddenEntries = { assumeUnchanged: [], skipWorktree: [] };
  let offset = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = offset;
    offset += STAT_BYTES + hashBytes;
    if (offset + 2 > end) return undefined;
    const flags = buffer.readUInt16BE(offset);
    offset += 2;
    let extended = 0;
    if ((flags & CE_EXTENDED) !== 0) {
      if (version < 3 || offset + 2 > end) return undefined;
      extended = buffer.readUInt16BE(offset);
      offset += 2;
    }
    let name: Buffer;
    if (version === 4) {
      // The name is the previous one minus N trailing bytes (N a git offset varint), then a suffix.
      let byte = buffer[offset++] ?? 0;
      let strip = byte & 0x7f;
      while ((byte & 0x80) !== 0) {
        byte = buffer[offset++] ?? 0;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const nul = buffer.indexOf(0, offset);
      if (nul < 0 || nul >= end || strip > previous.length) return undefined;
      name = Buffer.concat([previous.subarray(0, previous.length - strip), buffer.subarray(offset, nul)]);
      offset = nul + 1;
    } else {
      const nul = buffer.indexOf(0, offset);
      if (nul < 0 || nul >= end) return undefined;
      name = buffer.subarray(offset, nul);
      // Entries are padded with 1 to 8 NULs to a multiple of eight bytes.
      offset = start + Math.ceil((nul + 1 - start) / 8) * 8;
    }
    previous = name;
    if ((flags & CE_VALID) !== 0) hidden.assumeUnchanged.push(name.toString('utf8'));
    if ((extended & CE_SKIP_WORKTREE) !== 0) hidden.skipWorktree.push(name.toString('utf8'));
  }
  return hasUnreadExtension(buffer, offset, end) ? undefined : hidden;
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

export function readHiddenEntries(indexFile: string, hashBytes: number): HiddenEntries | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(indexFile);
  } catch (error) {
    // No index yet (a fresh repository): nothing can be hidden.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { assumeUnchanged: [], skipWorktree: [] } : undefined;
  }
  return parseHiddenEntries(buffer, hashBytes);
}
