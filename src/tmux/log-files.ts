import { appendFileSync, closeSync, existsSync, ftruncateSync, linkSync, openSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { stripAnsi } from '../util/ansi.js';

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Where a new process's output will start in a log file. A dead process may have left a partial
 * line (a shell prompt): end it, so the new output starts on a line of its own.
 */
export function startLogSection(path: string): number {
  const size = fileSize(path);
  if (size > 0 && readRange(path, size - 1, size) !== '\n') {
    appendFileSync(path, '\n');
    return size + 1;
  }
  return size;
}

/** Reads bytes [start, end) of a file as UTF-8 (a cut multi-byte character becomes U+FFFD). */
export function readRange(path: string, start: number, end: number): string {
  return readBytes(path, start, end).toString('utf8');
}

/** Bytes [start, end) of a file, fewer when it is shorter now; none when it cannot be read. */
export function readBytes(path: string, start: number, end: number): Buffer {
  if (end <= start) return Buffer.alloc(0);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buffer = Buffer.alloc(end - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Terminal output as text lines: escape sequences removed, and for a line redrawn with `\r`
 * (progress bars) only what was drawn last.
 */
export function cleanLines(raw: string): string[] {
  return stripAnsi(raw)
    .split('\n')
    .map((line) => {
      const trimmed = line.replace(/\r+$/, '');
      return trimmed.slice(trimmed.lastIndexOf('\r') + 1);
    });
}

/** The last `count` lines of a log file as written (escape sequences kept), reading only its tail. */
export function tailLines(path: string, count: number, maxBytes = 256 * 1024): string[] {
  const size = fileSize(path);
  const start = Math.max(0, size - maxBytes);
  const lines = readRange(path, start, size).split('\n');
  if (start > 0) lines.shift();
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count);
}

/** The last line with visible text, as plain text. */
export function lastLine(path: string): string | undefined {
  const size = fileSize(path);
  return cleanLines(readRange(path, Math.max(0, size - 8192), size))
    .filter((l) => l.trim() !== '')
    .at(-1)
    ?.trim();
}

/**
 * Rotates a log that grew past `maxSize`. tmux's pipe keeps the live file open with O_APPEND, so
 * the file is copied, then truncated in place (its next write lands at the new end): the copy
 * reads to the end and truncates at once, so only a write in between those two calls is lost.
 * The copy is written under a temporary name and renamed into `log.1` last, after the older
 * copies moved up (`log.1` stays in place as `log.2` by a hard link until then): a reader that
 * sees a new `log.1` knows it is complete and that the live file has been truncated (see
 * log-follow.ts).
 */
export function rotateIfLarge(path: string, maxSize: number, keep: number): boolean {
  if (maxSize <= 0 || fileSize(path) <= maxSize) return false;
  if (keep <= 0) {
    truncateSync(path, 0);
    return true;
  }
  const copy = `${path}.rotating`;
  copyThenTruncate(path, copy);
  for (let n = keep - 1; n >= 2; n--) {
    if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
  }
  if (keep >= 2 && existsSync(`${path}.1`)) moveUpKeepingName(`${path}.1`, `${path}.2`);
  renameSync(copy, `${path}.1`);
  return true;
}

function copyThenTruncate(path: string, copy: string): void {
  const from = openSync(path, 'r+');
  try {
    const to = openSync(copy, 'w');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (let position = 0; ; ) {
        const read = readSync(from, buffer, 0, buffer.length, position);
        if (read === 0) break;
        writeSync(to, buffer, 0, read);
        position += read;
      }
      ftruncateSync(from, 0);
    } finally {
      closeSync(to);
    }
  } finally {
    closeSync(from);
  }
}

/** `from` also becomes `to`, and stays until replaced; a rename where hard links are refused. */
function moveUpKeepingName(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    renameSync(from, to);
  }
}

/** `lastLine` that reads a log again only when its size changed (for views that refresh every second). */
export function cachedLastLine(): (path: string) => string | undefined {
  const cache = new Map<string, { size: number; line: string | undefined }>();
  return (path) => {
    const size = fileSize(path);
    const hit = cache.get(path);
    if (hit !== undefined && hit.size === size) return hit.line;
    const line = lastLine(path);
    cache.set(path, { size, line });
    return line;
  };
}
