import { readFileSync, statSync, type Stats } from 'node:fs';

/**
 * Report files are read after the command ends, and only if this run wrote them. A report left
 * over from an earlier run (the command crashed before writing a new one, or an agent copied an
 * old green one into place) must never be trusted: it would turn a broken tree into a pass.
 */

export interface FileStamp {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  ino: number;
}

export type ReportText = { kind: 'text'; text: string } | { kind: 'problem'; reason: string };

/** File timestamps come from a coarse kernel clock and some file systems round to 2 s. */
const CLOCK_SLACK_MS = 2000;
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** What a report file looked like before the command ran (null: it did not exist). */
export function stampFile(path: string): FileStamp | null {
  const stats = statOrNull(path);
  return stats === null ? null : { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, size: stats.size, ino: stats.ino };
}

/**
 * The text of a report file the command wrote, or why it cannot be used. Fresh means: changed
 * since the stamp taken before the run (any rewrite moves ctime, which a command cannot set), and
 * not last modified before the gate started (a copy that kept an old mtime is still old).
 */
export function readReportFile(path: string, name: string, before: FileStamp | null, startedAtMs: number): ReportText {
  const stats = statOrNull(path);
  if (stats === null) return { kind: 'problem', reason: `${name} was not written` };
  if (!stats.isFile()) return { kind: 'problem', reason: `${name} is not a file` };
  const untouched = before !== null && before.ino === stats.ino && before.ctimeMs === stats.ctimeMs && before.mtimeMs === stats.mtimeMs && before.size === stats.size;
  if (untouched || stats.mtimeMs < startedAtMs - CLOCK_SLACK_MS) {
    return { kind: 'problem', reason: `${name} is stale: it was last written ${new Date(stats.mtimeMs).toISOString()}, before this run started` };
  }
  if (stats.size > MAX_REPORT_BYTES) return { kind: 'problem', reason: `${name} is too large to read (${Math.round(stats.size / 1024 / 1024)} MiB)` };
  try {
    return { kind: 'text', text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { kind: 'problem', reason: `${name} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
