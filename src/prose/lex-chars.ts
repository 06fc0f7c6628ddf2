/** Character classes and small tables of the lexer, kept apart so `lexer.ts` reads as layout logic. */

/** `== != <= >= ->` from two character codes, without slicing a string per token. */
export function twoCharPunct(c: number, next: number): string | undefined {
  if (next === 61) return c === 61 ? '==' : c === 33 ? '!=' : c === 60 ? '<=' : c === 62 ? '>=' : undefined;
  return c === 45 && next === 62 ? '->' : undefined;
}

/**
 * Single-character punctuation, looked up by character code (every bracket and comma of a
 * program comes through here, and a code indexes a table where a one-character string had to be
 * hashed into a set); anything else that is not a name, number or string is E004.
 */
const ONE_CHAR: readonly (string | undefined)[] = Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  return ':,()[]{}.=<>+-*/%|!?@;'.includes(char) ? char : undefined;
});

export function oneCharPunct(c: number): string | undefined {
  // Reading past the table's end would work too, but costs optimized code a deoptimization.
  return c < 128 ? ONE_CHAR[c] : undefined;
}

/** `(`, `[` or `{`. */
export function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123;
}

/** `)`, `]` or `}`. */
export function isCloser(c: number): boolean {
  return c === 41 || c === 93 || c === 125;
}

/** Letters and `_` start a name; other scripts' letters too (programs are written in many languages). */
export function isNameStart(c: number, text: string, i: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
  return c >= 0x80 && /\p{L}/u.test(String.fromCodePoint(text.codePointAt(i) ?? 0));
}

export function isNamePart(c: number, text: string, i: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) return true;
  return c >= 0x80 && /[\p{L}\p{N}]/u.test(String.fromCodePoint(text.codePointAt(i) ?? 0));
}

/**
 * Interns names: a program repeats the same few words (`session`, `prompt`, its variables)
 * thousands of times, and reusing one string for each saves an allocation per name token.
 */
export class NameTable {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(4096);

  intern(text: string, start: number, end: number): string {
    const length = end - start;
    if (length > 24) return text.slice(start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    const slot = hash & 4095;
    const known = this.slots[slot];
    if (known !== undefined && known.length === length && text.startsWith(known, start)) return known;
    const name = text.slice(start, end);
    this.slots[slot] = name;
    return name;
  }
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
