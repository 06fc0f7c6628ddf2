import type { Identifier, Span } from './ast.js';
import type { Code } from './codes.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Token, TokenKind } from './tokens.js';

/** Deeper nesting than this is runaway input (or an attack), not a program. */
export const MAX_DEPTH = 128;

/**
 * Thrown to abandon the statement being parsed after its diagnostic was reported; the statement
 * loop catches it and resumes at the next statement. It never leaves the parser.
 */
export class StatementAbort {
  readonly reason = 'statement abandoned';
}

/** What a token is, in words, for "expected X, found Y". */
export function describe(token: Token): string {
  switch (token.kind) {
    case 'name':
    case 'punct':
    case 'number':
      return `\`${token.value}\``;
    case 'string':
      return 'a string';
    case 'discretion':
      return 'a discretion marker';
    case 'newline':
      return 'the end of the line';
    case 'indent':
      return 'an indented block';
    case 'dedent':
      return 'the end of the block';
    case 'eof':
      return 'the end of the file';
  }
}

/** Where tokens come from: the lexer, pulled one at a time. */
export interface TokenSource {
  next(): Token;
}

/** The parser's view of the token stream: lookahead, expectations, spans and the depth guard. */
export class Cursor {
  /** Tokens read from the lexer but not consumed yet (lookahead), from `head` on. */
  private readonly buffer: Token[] = [];
  private head = 0;
  private consumed = 0;
  private depth = 0;
  private lastEnd = 0;
  /** The last token consumed; a DEDENT here means the statement already ended with its block. */
  previous: Token;

  constructor(
    private readonly lexer: TokenSource,
    readonly sink: DiagnosticSink,
    readonly text: string,
  ) {
    this.previous = this.peek(0);
  }

  /** How many tokens were consumed; the statement loop uses it to guarantee progress. */
  get position(): number {
    return this.consumed;
  }

  get token(): Token {
    return this.head < this.buffer.length ? (this.buffer[this.head] as Token) : this.peek(0);
  }

  peek(ahead = 1): Token {
    while (this.buffer.length - this.head <= ahead) this.buffer.push(this.lexer.next());
    return this.buffer[this.head + ahead] as Token;
  }

  next(): Token {
    const token = this.token;
    if (token.kind !== 'eof') {
      this.head += 1;
      this.consumed += 1;
      if (this.head > 64) {
        // Drop consumed tokens in place (splice would allocate an array of them).
        this.buffer.copyWithin(0, this.head);
        this.buffer.length -= this.head;
        this.head = 0;
      }
    }
    this.previous = token;
    if (token.kind !== 'newline' && token.kind !== 'indent' && token.kind !== 'dedent' && token.kind !== 'eof') this.lastEnd = token.end;
    return token;
  }

  at(kind: TokenKind, value?: string): boolean {
    const token = this.token;
    return token.kind === kind && (value === undefined || token.value === value);
  }

  atPunct(value: string): boolean {
    return this.at('punct', value);
  }

  atWord(value: string): boolean {
    return this.at('name', value);
  }

  /**
   * Just after an indented block (a session's properties, say): only a continuation line (`|` or
   * `->`) may extend the expression; an operator there starts a new, broken statement.
   */
  afterBlock(): boolean {
    return this.previous.kind === 'dedent';
  }

  /** At NEWLINE, DEDENT or EOF: nothing more on this logical line. */
  atLineEnd(): boolean {
    const kind = this.token.kind;
    return kind === 'newline' || kind === 'dedent' || kind === 'eof';
  }

  eatPunct(value: string): Token | undefined {
    return this.atPunct(value) ? this.next() : undefined;
  }

  eatWord(value: string): Token | undefined {
    return this.atWord(value) ? this.next() : undefined;
  }

  expectPunct(value: string, context = ''): Token {
    if (this.atPunct(value)) return this.next();
    return this.fail('E004', `expected \`${value}\`${context}, found ${describe(this.token)}`);
  }

  /** A name where one is expected; any word will do, keywords included. */
  expectName(what: string): Identifier {
    const token = this.token;
    if (token.kind !== 'name') return this.fail('E004', `expected ${what}, found ${describe(token)}`);
    this.next();
    return { kind: 'Identifier', name: token.value, span: { start: token.start, end: token.end } };
  }

  /** Reports at the current token and abandons the statement. */
  fail(code: Code, message: string, span?: Span, hint?: string): never {
    const token = this.token;
    this.sink.report(code, span ?? { start: token.start, end: Math.max(token.end, token.start) }, message, hint);
    throw new StatementAbort();
  }

  report(code: Code, span: Span, message: string, hint?: string): void {
    this.sink.report(code, span, message, hint);
  }

  /** The span from `start` to the end of the last consumed token that is not layout. */
  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  /**
   * Guards recursion: runs `parse` one level deeper, or reports P114 past MAX_DEPTH. Parsers are
   * passed as functions of the cursor, not closures, so the hot path allocates nothing here.
   */
  nested<T>(parse: (p: Cursor) => T): T {
    if (this.depth >= MAX_DEPTH) {
      this.fail('P114', `nesting deeper than ${MAX_DEPTH} levels`);
    }
    this.depth += 1;
    try {
      return parse(this);
    } finally {
      this.depth -= 1;
    }
  }

  /**
   * Parses one item of a list (a statement, a property, an option); when it fails, skips the
   * rest of it and returns undefined, so the list goes on with the next item.
   */
  attempt<T>(parse: (p: Cursor) => T): T | undefined {
    const before = this.consumed;
    try {
      return this.nested(parse);
    } catch (error) {
      if (!(error instanceof StatementAbort)) throw error;
      this.skipStatement();
      if (this.consumed === before && !this.at('dedent') && !this.at('eof')) this.next();
      return undefined;
    }
  }

  /**
   * Recovery: skips the rest of the current statement, including any block indented under it and
   * the `elif`/`else`/`catch`/`finally` clauses after that block (an `if` whose header failed
   * should not make its `else` an orphan), and stops before a DEDENT that closes the enclosing
   * block.
   */
  skipStatement(): void {
    let blocks = 0;
    for (;;) {
      const token = this.token;
      if (token.kind === 'eof') return;
      if (token.kind === 'dedent') {
        if (blocks === 0) return;
        blocks -= 1;
        this.next();
        if (blocks === 0 && this.token.kind !== 'indent' && !this.atClause()) return;
        continue;
      }
      if (token.kind === 'indent') blocks += 1;
      this.next();
      if (token.kind === 'newline' && blocks === 0 && this.token.kind !== 'indent') return;
    }
  }

  private atClause(): boolean {
    const { kind, value } = this.token;
    return kind === 'name' && (value === 'elif' || value === 'else' || value === 'catch' || value === 'finally');
  }

  /**
   * Ends a statement: its NEWLINE, or nothing when it already ended (with a block, or with a
   * statement inlined after a header's `:`), or at a block's end.
   */
  endStatement(): void {
    if (this.previous.kind === 'dedent' || this.previous.kind === 'newline') return;
    const token = this.token;
    if (token.kind === 'newline') {
      this.next();
      return;
    }
    if (token.kind === 'dedent' || token.kind === 'eof') return;
    this.fail('E004', `expected the end of the line, found ${describe(token)}`);
  }
}
