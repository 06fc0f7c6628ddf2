/**
 * A command line → words, without a shell: spaces separate; '…' and "…" quote; a backslash
 * escapes. Holes (`{x}` interpolations, `{prompt}` placeholders) are filled only after the text
 * is split, inside their word, and each word remembers where values went in — so a value with
 * spaces, quotes or `$(…)` stays one word, and a caller can tell a word's literal text from the
 * values in it (a shell script word must not run its values as code).
 */

export class CommandSyntaxError extends Error {}

export interface Hole {
  start: number;
  end: number;
}

/** A hole's value: its text, and for a list its items (one word each when the hole stands alone). */
export interface Filled {
  text: string;
  items?: readonly string[];
}

export interface Word {
  text: string;
  /** Where values were filled in, as offsets into `text`, in order. */
  values: Array<{ start: number; end: number }>;
}

type Quote = 'none' | 'single' | 'double';

/** `fill` gives a hole's value, or undefined to keep its text literally (`{id}` naming nothing). */
export function splitWords<H extends Hole>(text: string, holes: readonly H[], fill: (hole: H) => Filled | undefined): Word[] {
  const words: Word[] = [];
  let word: Word = { text: '', values: [] };
  let inWord = false;
  let quote: Quote = 'none';
  const finish = () => {
    if (inWord) words.push(word);
    word = { text: '', values: [] };
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const hole = char === '{' ? holes.find((h) => h.start === i) : undefined;
    const filled = hole === undefined ? undefined : fill(hole);
    if (hole !== undefined && filled !== undefined) {
      const standsAlone = quote === 'none' && !inWord && /^(\s|$)/.test(text.slice(hole.end, hole.end + 1));
      if (standsAlone && filled.items !== undefined) {
        for (const item of filled.items) words.push({ text: item, values: [{ start: 0, end: item.length }] });
      } else {
        word.values.push({ start: word.text.length, end: word.text.length + filled.text.length });
        word.text += filled.text;
        inWord = true;
      }
      i = hole.end - 1;
      continue;
    }
    if (quote === 'single') {
      if (char === "'") quote = 'none';
      else word.text += char;
    } else if (quote === 'double') {
      if (char === '"') quote = 'none';
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) word.text += text[++i];
      else word.text += char;
    } else if (/\s/.test(char)) {
      finish();
    } else if (char === "'" || char === '"') {
      quote = char === "'" ? 'single' : 'double';
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word.text += text[++i];
      inWord = true;
    } else {
      word.text += char;
      inWord = true;
    }
  }
  if (quote !== 'none') throw new CommandSyntaxError(`unterminated ${quote === 'single' ? "'" : '"'} quote in the command`);
  finish();
  return words;
}

/** A word's text cut into literal pieces and values, for a shell script that gets its values as parameters. */
export function piecesOf(word: Word): Array<string | { value: string }> {
  const pieces: Array<string | { value: string }> = [];
  let at = 0;
  for (const { start, end } of word.values) {
    if (start > at) pieces.push(word.text.slice(at, start));
    pieces.push({ value: word.text.slice(start, end) });
    at = end;
  }
  if (at < word.text.length) pieces.push(word.text.slice(at));
  return pieces;
}
