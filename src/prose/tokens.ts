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
