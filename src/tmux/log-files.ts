import { appendFileSync, closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, statSync, truncateSync } from 'node:fs';
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
  if (end <= start) return '';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(end - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString('utf8');
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
 * Rotates a log that grew past `maxSize`: `log.(n)` → `log.(n+1)`, a copy to `log.1`, then the
 * live file is truncated in place. Copy-then-truncate because tmux's pipe keeps the file open
 * with O_APPEND, so its next write lands at the new end (a line written between the copy and the
 * truncate can be lost; that is the price of not restarting the pipe).
 */
export function rotateIfLarge(path: string, maxSize: number, keep: number): boolean {
  if (maxSize <= 0 || fileSize(path) <= maxSize) return false;
  if (keep <= 0) {
    truncateSync(path, 0);
    return true;
  }
  for (let n = keep - 1; n >= 1; n--) {
    if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
  }
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  return true;
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
