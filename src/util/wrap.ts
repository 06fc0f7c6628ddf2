/**
 * Word wrapping for human-readable lines on narrow terminals. Widths are counted in characters
 * (ASCII-width assumption), escape sequences excluded; a styled phrase is best kept in one part.
 */
import { visibleWidth } from './ansi.js';

export interface WrapOptions {
  /** Starts the first line (counted in the width). */
  indent?: string;
  /** Starts every following line. */
  hanging?: string;
}

/**
 * Breaks `text` at spaces so that each line fits `width`. A word longer than a line (a path, a
 * URL) keeps a line of its own rather than being cut: the terminal may wrap it, but it stays
 * whole for copying. Existing line breaks are kept.
 */
export function wrap(text: string, width: number, { indent = '', hanging = indent }: WrapOptions = {}): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? indent : hanging;
    let first = true;
    // Splitting on single spaces keeps runs of spaces (alignment) where nothing wraps.
    for (const word of paragraph.split(' ')) {
      if (first || visibleWidth(line) + 1 + visibleWidth(word) <= width) line += first ? word : ` ${word}`;
      else {
        lines.push(line);
        line = hanging + word;
      }
      first = false;
    }
    lines.push(line);
  }
  return lines.map((l) => l.trimEnd());
}

/**
 * Joins `parts` with `separator`, starting a new line (after `hanging`) instead of overflowing
 * `width`; a part longer than a line is wrapped on its own.
 */
export function wrapParts(parts: readonly string[], width: number, separator = ' · ', hanging = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const joined = line === '' ? part : `${line}${separator}${part}`;
    if (visibleWidth(joined) <= width || line === '') {
      line = joined;
      continue;
    }
    lines.push(line.trimEnd());
    line = hanging + part;
  }
  if (line !== '') lines.push(line);
  return lines.flatMap((l) => (visibleWidth(l) <= width ? [l] : wrap(l, width, { hanging })));
}

/**
 * A shell command that still runs when pasted: too long for `width`, it is broken at spaces
 * with a trailing ` \` (never inside a quoted argument).
 */
export function wrapCommand(command: string, width: number, indent = '  '): string[] {
  if (indent.length + command.length <= width) return [indent + command];
  const words = command.match(/(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+/g) ?? [command];
  const lines: string[] = [];
  let line = indent;
  const next = `${indent}    `;
  for (const word of words) {
    if (line === indent || line === next) line += word;
    else if (line.length + 1 + word.length + 2 <= width) line += ` ${word}`;
    else {
      lines.push(`${line} \\`);
      line = next + word;
    }
  }
  lines.push(line);
  return lines;
}

/** Writes `text` wrapped at `width` through `write` (`out.line`, `out.note`), each line styled. */
export function printWrapped(write: (line: string) => void, text: string, width: number, { style = (line: string) => line, ...options }: WrapOptions & { style?: (line: string) => string } = {}): void {
  for (const line of wrap(text, width, options)) write(style(line));
}

/**
 * A path too long for `width`, broken after its slashes (a terminal would cut it anywhere, mid
 * name); text after the path (` (…)`) wraps at spaces as usual.
 */
export function wrapPath(text: string, width: number): string[] {
  const space = text.indexOf(' ');
  const path = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? '' : text.slice(space + 1);
  const lines: string[] = [];
  let line = '';
  for (const part of path.split(/(?<=\/)/)) {
    if (line !== '' && visibleWidth(line) + visibleWidth(part) > width) {
      lines.push(line);
      line = '';
    }
    line += part;
  }
  if (rest === '') return [...lines, line];
  const [first = '', ...more] = wrap(`${line} ${rest}`, width);
  return [...lines, first, ...more];
}
