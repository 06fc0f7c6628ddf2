import { stripAnsi } from '../../util/ansi.js';

/** Helpers shared by the parsers: short messages and source locations out of failure text. */

const MAX_MESSAGE_LINES = 3;
const MAX_MESSAGE_CHARS = 300;

/** A stack frame or the marker that starts one: the message ends before it. */
const STACK_LINE = /^\s*(at\s|❯\s|→\s|stack backtrace:|note: run with|Traceback \(|File "|\d+:\s+\S+::)/;

/**
 * The first lines of a failure message, without escape sequences, stack frames or blank lines:
 * what a human (or an agent) needs to recognise the failure, capped.
 */
export function shortMessage(text: string): string {
  const kept: string[] = [];
  for (const raw of stripAnsi(text).split(/\r?\n/)) {
    if (STACK_LINE.test(raw)) break;
    const line = raw.trim();
    if (line === '') continue;
    kept.push(line);
    if (kept.length === MAX_MESSAGE_LINES) break;
  }
  return clip(kept.join('\n'), MAX_MESSAGE_CHARS);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface Location {
  file: string;
  line: number;
}

const SOURCE_EXTENSIONS = 'm?[jt]sx?|[cm][jt]s|vue|svelte|astro|rs|py|go|java|kt|kts|scala|groovy|rb|php|cs|fs|swift|c|cc|cpp|cxx|h|hh|hpp|m|mm|ex|exs|erl|hs|ml|lua|dart|zig|nim|sh|feature';
const LOCATION = new RegExp(`(?:file://)?((?:[A-Za-z]:)?[\\w@.~+/\\\\-]*?[\\w@~+-]+\\.(?:${SOURCE_EXTENSIONS})):(\\d+)(?::\\d+)?(?![\\w.])`, 'g');

/** Frames that are never the place to look: runtimes, dependencies, the standard library. */
const FOREIGN = /(^|\/)node_modules\/|^node:|^internal\/|\/rustc\/|\/\.cargo\/registry\/|\/\.rustup\/|site-packages\/|\/lib\/python\d|^java\.base\//;

/**
 * The first `path:line` in failure text that points into the project. `hints` (the test's file,
 * or its class name) are preferred: a Java stack starts in the assertion library, and the test's
 * own frame (`MathTest.java:21` for class `com.example.MathTest`) comes later.
 */
export function findLocation(text: string, hints: ReadonlyArray<string | null> = []): Location | null {
  let fallback: Location | null = null;
  const wanted = hints.filter((h): h is string => h !== null && h !== '');
  for (const match of stripAnsi(text).matchAll(LOCATION)) {
    const file = match[1] ?? '';
    const line = Number(match[2]);
    if (FOREIGN.test(file) || line === 0) continue;
    if (wanted.length === 0 || wanted.some((hint) => matchesHint(file, hint))) return { file, line };
    fallback ??= { file, line };
  }
  return fallback;
}

/** Whether `file` is the file `hint` names (a path, a base name, or a class name's last part). */
export function matchesHint(file: string, hint: string): boolean {
  const normal = file.replaceAll('\\', '/');
  if (hint.includes('/') || /\.\w+$/.test(hint)) return normal === hint || normal.endsWith(`/${hint}`) || hint.endsWith(`/${normal}`);
  const base = normal.slice(normal.lastIndexOf('/') + 1);
  return base.slice(0, base.indexOf('.')) === hint;
}

/** A positive integer from an attribute or a JSON field, or null. */
export function positiveInt(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** `JSON.parse` that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' ? value : null;
}

/**
 * JSON that a tool printed on stdout, possibly among other lines (a banner, a test's own
 * console output): the whole text if it parses, else the span from the first line that opens a
 * value to the last line that closes one.
 */
export function parseJsonIn(text: string, open: '{' | '['): unknown {
  const whole = parseJson(text.trim());
  if (whole !== undefined) return whole;
  const close = open === '{' ? '}' : ']';
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trimStart().startsWith(open));
  const last = lines.findLastIndex((line) => line.trimEnd().endsWith(close));
  if (first === -1 || last < first) return undefined;
  return parseJson(lines.slice(first, last + 1).join('\n'));
}
