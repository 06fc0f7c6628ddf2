import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { sleep } from '../util/sleep.js';
import { fileSize, readBytes } from './log-files.js';

export interface FollowedFile {
  name: string;
  path: string;
}

const MAX_READ = 256 * 1024;
/** Polls to wait for the copy of a truncated log before giving its rest up for lost. */
const ROTATION_WAIT_POLLS = 10;
/** More rotated copies than anyone keeps: a bound on the walk, not a setting. */
const MAX_COPIES = 1000;

/**
 * A rotated copy's identity. Copies never change once renamed into place, so inode, size and
 * modification time tell one from the next even when a freed inode number is used again.
 */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * Follows one log file across rotations (see rotateIfLarge: copy to `log.1`, truncate in place,
 * `log.1` renamed in last). Whatever was written after the last read and before a rotation is
 * read from the copy, so nothing is skipped and nothing shown twice: a new `log.1` means the
 * live file was truncated; the copies made since the last look (several, if rotations came fast)
 * are read oldest first — the oldest from where the live file was left, the others whole — and
 * the live file again from its start.
 */
export class LogFollower {
  private offset = 0;
  private partial = '';
  private lastCopy: string | undefined;
  private waited = 0;
  /** Keeps a multi-byte character cut by a read (or by a rotation) whole. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(readonly path: string) {
    // Size and copy must belong together: look again if a rotation came in between.
    for (let attempt = 0; ; attempt++) {
      this.lastCopy = identity(`${path}.1`);
      this.offset = fileSize(path);
      if (identity(`${path}.1`) === this.lastCopy || attempt === 5) break;
    }
  }

  /** The complete lines written since the last call. */
  poll(): string[] {
    const lines: string[] = [];
    const rotated = this.newCopies();
    if (rotated !== undefined) {
      rotated.copies.forEach((copy, index) => this.readAll(copy, index === 0 && rotated.holdsOffset ? this.offset : 0, lines));
      this.lastCopy = rotated.newest;
      this.offset = 0;
      this.waited = 0;
    }
    const size = fileSize(this.path);
    if (size < this.offset) {
      // Truncated and its copy not renamed in yet (or there are no copies: `keep: 0`).
      if (++this.waited <= ROTATION_WAIT_POLLS) return lines;
      this.offset = 0;
      this.waited = 0;
    }
    // A rotation between the size and the read leaves fewer bytes: the copy has the rest.
    this.offset += this.take(this.offset, Math.min(size, this.offset + MAX_READ), lines);
    return lines;
  }

  /**
   * The copies made since the last look, oldest first (`log.N` … `log.1`). The oldest holds the
   * place the live file was left at, unless so many rotations came that it was dropped already.
   */
  private newCopies(): { copies: string[]; newest: string; holdsOffset: boolean } | undefined {
    for (let attempt = 1; ; attempt++) {
      const newest = identity(`${this.path}.1`);
      if (newest === undefined || newest === this.lastCopy) return undefined;
      const copies: string[] = [];
      let reachedLast = false;
      for (let n = 1; n <= MAX_COPIES; n++) {
        const copy = `${this.path}.${n}`;
        const id = identity(copy);
        reachedLast = id !== undefined && id === this.lastCopy;
        if (id === undefined || reachedLast) break;
        copies.push(copy);
      }
      // A copy missing halfway may be one moving up under the next rotation: look once more.
      if (reachedLast || this.lastCopy === undefined || attempt === 3) return { copies: copies.reverse(), newest, holdsOffset: reachedLast || this.lastCopy === undefined };
    }
  }

  /** A whole copy from `from` on, through one descriptor: the next rotation may rename it meanwhile. */
  private readAll(path: string, from: number, lines: string[]): void {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(MAX_READ, size));
      // A copy shorter than the place reached: the live file was read past what the copy caught.
      for (let start = Math.min(from, size); start < size; ) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - start), start);
        if (read === 0) break;
        this.split(buffer.subarray(0, read), lines);
        start += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Reads bytes [start, end) of the live file into `lines`; returns how many it read. */
  private take(start: number, end: number, lines: string[]): number {
    const bytes = readBytes(this.path, start, end);
    this.split(bytes, lines);
    return bytes.length;
  }

  private split(bytes: Buffer, lines: string[]): void {
    if (bytes.length === 0) return;
    const parts = (this.partial + this.decoder.write(bytes)).split('\n');
    this.partial = parts.pop() ?? '';
    lines.push(...parts);
  }
}

/**
 * Follows log files by polling their sizes (fs.watch misses writes through tmux's pipe on some
 * filesystems, and polling survives rotation): new complete lines go to `onLines`.
 */
export async function followFiles(
  files: readonly FollowedFile[],
  onLines: (name: string, lines: string[]) => void,
  signal: AbortSignal,
  pollMs = 200,
): Promise<void> {
  const followers = files.map((file) => ({ name: file.name, follower: new LogFollower(file.path) }));
  while (!signal.aborted) {
    for (const { name, follower } of followers) {
      const lines = follower.poll();
      if (lines.length > 0) onLines(name, lines);
    }
    await sleep(pollMs, signal);
  }
}
