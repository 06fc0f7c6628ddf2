import type { DiagnosticSink } from './diagnostics.js';

/** What a string-like scanner found: the decoded text and where the literal ends. */
export interface Scanned {
  value: string;
  end: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NL = 10;
const CR = 13;
const STAR = 42;

/** Offset of the line break (or end of text) at or after `from`. */
export function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const end = nl === -1 ? text.length : nl;
  return end > from && text.charCodeAt(end - 1) === CR ? end - 1 : end;
}

function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r+\n/g, '\n') : text;
}

/**
 * `"…"` on one line with the escapes `\\ \" \n \t`; any other escape is kept as written and
 * warned (E002), because prompts quote regexes and paths more often than they mean an escape.
 */
export function scanQuoted(text: string, start: number, sink: DiagnosticSink): Scanned {
  let value = '';
  let chunk = start + 1;
  let i = chunk;
  for (;;) {
    const c = i < text.length ? text.charCodeAt(i) : NL;
    if (c === QUOTE) return { value: value + text.slice(chunk, i), end: i + 1 };
    if (c === NL || (c === CR && text.charCodeAt(i + 1) === NL)) {
      sink.report('E001', { start, end: i }, 'unterminated string: add a closing `"` on the same line');
      return { value: value + text.slice(chunk, i), end: i };
    }
    if (c !== BACKSLASH) {
      i += 1;
      continue;
    }
    value += text.slice(chunk, i);
    const escaped = text[i + 1];
    if (escaped === '\\' || escaped === '"') value += escaped;
    else if (escaped === 'n') value += '\n';
    else if (escaped === 't') value += '\t';
    else if (escaped === undefined || escaped === '\n' || escaped === '\r') {
      value += '\\';
      i += 1;
      chunk = i;
      continue;
    } else {
      value += `\\${escaped}`;
      sink.report('E002', { start: i, end: i + 2 }, `unknown escape \`\\${escaped}\` is kept as written`);
    }
    i += 2;
    chunk = i;
  }
}

const NESTED_OPENER = /[A-Za-z_][A-Za-z0-9_-]*[ \t]*:[ \t]*$/;

/** True when only spaces (and a CR) stand between `from` and the end of its line. */
function restOfLineIsBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NL) return true;
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}

/**
 * `"""…"""`: raw, across lines. Inside, a `"""` that ends a line after `NAME:` opens a nested
 * level (prompts embed sample programs with their own `prompt: """`); any other `"""` closes
 * one. In a run of more than three quotes the last three close, so content may end with `"`.
 */
export function scanTriple(text: string, start: number, sink: DiagnosticSink): Scanned {
  const contentStart = start + 3;
  let depth = 1;
  let i = contentStart;
  for (;;) {
    const found = text.indexOf('"""', i);
    if (found === -1) {
      sink.report('E001', { start, end: start + 3 }, 'unterminated triple-quoted string: add a closing `"""`');
      return { value: normalizeNewlines(text.slice(contentStart)), end: text.length };
    }
    let close = found;
    while (text.charCodeAt(close + 3) === QUOTE) close += 1;
    const after = close + 3;
    if (restOfLineIsBlank(text, after)) {
      const lineStart = text.lastIndexOf('\n', found - 1) + 1;
      if (NESTED_OPENER.test(text.slice(Math.max(lineStart, contentStart), found))) {
        depth += 1;
        i = after;
        continue;
      }
    }
    depth -= 1;
    if (depth === 0) return { value: normalizeNewlines(text.slice(contentStart, close)), end: after };
    i = after;
  }
}

/**
 * Discretion: `**text**` on one line, or `***` … `***` across lines. The text is what the
 * oracle (a judge agent) is asked about.
 */
export function scanDiscretion(text: string, start: number, sink: DiagnosticSink): Scanned & { triple: boolean } {
  const triple = text.charCodeAt(start + 2) === STAR;
  if (triple) {
    const close = text.indexOf('***', start + 3);
    if (close !== -1) return { value: normalizeNewlines(text.slice(start + 3, close)), end: close + 3, triple };
    const end = lineEnd(text, start);
    sink.report('E001', { start, end: start + 3 }, 'unterminated discretion: add a closing `***`');
    return { value: text.slice(start + 3, end), end, triple };
  }
  // A walk up to the closing marker or the line break, not a search for the line end: on a long
  // line of markers that search went to the end of the line for each one (quadratic).
  for (let i = start + 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NL) break;
    if (c === STAR && text.charCodeAt(i + 1) === STAR) return { value: text.slice(start + 2, i), end: i + 2, triple };
  }
  const end = lineEnd(text, start);
  sink.report('E001', { start, end: start + 2 }, 'unterminated discretion: add a closing `**` on the same line');
  return { value: text.slice(start + 2, end), end, triple };
}
