import { stripAnsi } from '../util/ansi.js';
import { clip } from './parsers/text.js';

/**
 * The lines of a command's output that look like errors, capped (after execa: a failure is
 * summarized, not dumped). What the digest shows an agent and what the failure fingerprint
 * hashes, so it leans towards the first real error rather than every line that says "fail".
 */

const MAX_LINES = 20;
const MAX_LINE_CHARS = 200;

const LOOKS_LIKE_ERROR =
  /\b(errors?|failed|failures?|failing|fail|panicked|panic|exceptions?|assertion|assert|expected|traceback|fatal|not ok|cannot|unable to|not found|no such file|segmentation fault|timed out|bail out)\b|[✗✕×]|\bFAIL\b|ERR!|^E\s{2,}/i;

/**
 * A thrown error as node, Python and the JVM print it: `ReferenceError: x is not defined`,
 * `ValueError: …`, `java.lang.NullPointerException`. The word is glued to its type, so the
 * `\berror\b` above misses it — and a test script that throws prints nothing else. Only as a
 * headline (followed by its message, or ending the line): TAP's `name: 'AssertionError'` is noise.
 */
const THROWN = /[a-z](?:Error|Exception)(?: \[[A-Z0-9_]+\])?(?::|$)/;

/** Summary lines that report that nothing failed, and stack frames: never the error itself. */
const NOISE =
  /^(?:#\s*)?(?:fail|failed|errors?|failures?)\s*[:=]?\s*0\b|\b0 (?:failed|failures?|errors?)\b|^\s*at\s|^\s*\d+: |node:internal|^\s*[-=⎯─]{5,}\s*$/i;

export function errorExcerpt(output: string, max = MAX_LINES): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const raw of stripAnsi(output).split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || !(LOOKS_LIKE_ERROR.test(line) || THROWN.test(line)) || NOISE.test(line) || seen.has(line)) continue;
    seen.add(line);
    lines.push(clip(line, MAX_LINE_CHARS));
    if (lines.length === max) break;
  }
  return lines;
}
