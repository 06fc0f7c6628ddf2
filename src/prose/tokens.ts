import type { Span } from './source.js';

/**
 * `newline` ends a logical line; `indent`/`dedent` open and close blocks (Python-style, spaces
 * only). Keywords are not a token kind: every word is a `name` and the parser decides from
 * context, which is what lets programs use keywords as names (`agent filter:`).
 */
export type TokenKind = 'name' | 'number' | 'string' | 'discretion' | 'punct' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The name, the punctuation, the number as written, or the decoded string / discretion text. */
  value: string;
  start: number;
  end: number;
  /** A `"""` string, or a `***` discretion marker. */
  triple: boolean;
}

export interface Comment {
  /** Without the `#`. */
  text: string;
  span: Span;
  /** Nothing but the comment on its line. */
  ownLine: boolean;
}

/**
 * Tokens lexed but not consumed yet, stored field by field in a ring whose capacity (a power of
 * two) doubles when a long lookahead or a run of DEDENTs fills it. The parser reads a token's
 * fields where they lie instead of getting an object per token: the 100,000 tokens of a
 * 20,000-line program were a third of the front end's allocations, and most of its GC time.
 */
export class TokenQueue {
  // Replaced when the ring grows: find a slot (which may lex, and so grow) before reading one.
  kinds: TokenKind[];
  values: string[];
  starts: number[];
  ends: number[];
  triples: boolean[];
  /** The slot of the oldest queued token. */
  private head = 0;
  /** How many tokens are queued. */
  size = 0;
  private mask: number;

  constructor(capacity = 64) {
    this.mask = capacity - 1;
    this.kinds = new Array<TokenKind>(capacity).fill('eof');
    this.values = new Array<string>(capacity).fill('');
    this.starts = new Array<number>(capacity).fill(0);
    this.ends = new Array<number>(capacity).fill(0);
    this.triples = new Array<boolean>(capacity).fill(false);
  }

  push(kind: TokenKind, value: string, start: number, end: number, triple: boolean): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.kinds[i] = kind;
    this.values[i] = value;
    this.starts[i] = start;
    this.ends[i] = end;
    this.triples[i] = triple;
    this.size += 1;
  }

  /** The slot of the queued token `ahead` places after the oldest (which must be queued). */
  slot(ahead: number): number {
    return (this.head + ahead) & this.mask;
  }

  /** Drops the oldest token. */
  shift(): void {
    this.head = (this.head + 1) & this.mask;
    this.size -= 1;
  }

  /** A queued token as an object, for `lex()`: the parser never needs one. */
  token(ahead: number): Token {
    const i = this.slot(ahead);
    return { kind: this.kinds[i] as TokenKind, value: this.values[i] as string, start: this.starts[i] as number, end: this.ends[i] as number, triple: this.triples[i] as boolean };
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const order = Array.from({ length: this.size }, (_, k) => this.slot(k));
    const reorder = <T>(fields: T[], fill: T): T[] => {
      const grown = new Array<T>(capacity).fill(fill);
      order.forEach((from, to) => (grown[to] = fields[from] as T));
      return grown;
    };
    this.kinds = reorder(this.kinds, 'eof');
    this.values = reorder(this.values, '');
    this.starts = reorder(this.starts, 0);
    this.ends = reorder(this.ends, 0);
    this.triples = reorder(this.triples, false);
    this.head = 0;
    this.mask = capacity - 1;
  }
}
