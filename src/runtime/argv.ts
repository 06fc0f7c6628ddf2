/**
 * `exec "command {x}"` → argv, without a shell. The command text is split into words first
 * (spaces separate; '…' and "…" quote; a backslash escapes), and only then are `{x}`
 * interpolations filled in, inside their word: a value with spaces, quotes, `$(…)`, backticks or
 * `; rm -rf` is one argument, never parsed. A list standing alone as a word gives one argument
 * per item.
 *
 * With `shell: true` the text goes to `/bin/sh -c`, and each interpolation becomes a positional
 * parameter ("$1", "$2", …) passed beside the script, so even then no value is ever read by the
 * shell as code.
 */
import type { Interpolation } from '../prose/index.js';
import { isArray, toText, type Value } from './values.js';

export type Resolve = (path: readonly string[]) => Value | undefined;

export class ArgvError extends Error {}

type Quote = 'none' | 'single' | 'double';

/** The interpolation that starts at `offset` and names something bound, if any. */
function boundAt(interpolations: readonly Interpolation[], offset: number, resolve: Resolve): { end: number; value: Value } | undefined {
  for (const interpolation of interpolations) {
    if (interpolation.start !== offset) continue;
    const value = resolve(interpolation.path);
    return value === undefined ? undefined : { end: interpolation.end, value };
  }
  return undefined;
}

export function splitCommand(text: string, interpolations: readonly Interpolation[], resolve: Resolve): string[] {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: Quote = 'none';
  const finish = () => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const bound = text[i] === '{' ? boundAt(interpolations, i, resolve) : undefined;
    if (bound !== undefined) {
      const standsAlone = quote === 'none' && !inWord && /^(\s|$)/.test(text.slice(bound.end, bound.end + 1));
      if (standsAlone && isArray(bound.value)) {
        argv.push(...bound.value.map(toText));
        i = bound.end - 1;
        continue;
      }
      word += toText(bound.value);
      inWord = true;
      i = bound.end - 1;
      continue;
    }
    if (quote === 'single') {
      if (char === "'") quote = 'none';
      else word += char;
    } else if (quote === 'double') {
      if (char === '"') quote = 'none';
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) word += text[++i];
      else word += char;
    } else if (/\s/.test(char)) {
      finish();
    } else if (char === "'" || char === '"') {
      quote = char === "'" ? 'single' : 'double';
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== 'none') throw new ArgvError(`unterminated ${quote === 'single' ? "'" : '"'} quote in the command`);
  finish();
  return argv;
}

/** The script for `/bin/sh -c` and the values it refers to as "$1", "$2", … */
export function shellCommand(text: string, interpolations: readonly Interpolation[], resolve: Resolve): { script: string; params: string[] } {
  const params: string[] = [];
  let script = '';
  let quote: Quote = 'none';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const bound = char === '{' ? boundAt(interpolations, i, resolve) : undefined;
    if (bound !== undefined) {
      params.push(toText(bound.value));
      const ref = `\${${params.length}}`;
      script += quote === 'double' ? ref : quote === 'single' ? `'"${ref}"'` : `"${ref}"`;
      i = bound.end - 1;
      continue;
    }
    script += char;
    if (char === '\\' && quote !== 'single' && i + 1 < text.length) script += text[++i];
    else if (char === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
    else if (char === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
  }
  return { script, params };
}
