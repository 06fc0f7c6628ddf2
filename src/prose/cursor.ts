import type { Identifier, Span } from './ast.js';
import type { Code } from './codes.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { TokenKind, TokenQueue } from './tokens.js';

/** Deeper nesting than this is runaway input (or an attack), not a program. */
export const MAX_DEPTH = 128;

/**
 * Thrown to abandon the statement being parsed after its diagnostic was reported; the statement
 * loop catches it and resumes at the next statement. It never leaves the parser.
 */
export class StatementAbort {
  readonly reason = 'statement abandoned';
}

/** Where a list's items start on the cursor's list stack (see `startList`); `T` is their type. */
export type ListStart<T> = number & { readonly items?: T };

/** What a token is, in words, for "expected X, found Y". */
export function describe(kind: TokenKind, value: string): string {
  switch (kind) {
    case 'name':
    case 'punct':
    case 'number':
      return `\`${value}\``;
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

function isLayout(kind: TokenKind): boolean {
  return kind === 'newline' || kind === 'indent' || kind === 'dedent' || kind === 'eof';
}

/** Where tokens come from: the lexer, which queues more of them when asked to `fill`. */
export interface TokenSource {
  readonly tokens: TokenQueue;
  /** EOF is queued. */
  readonly done: boolean;
  fill(): void;
}

/**
 * The parser's view of the token stream: lookahead, expectations, spans and the depth guard.
 * Tokens are read field by field (`p.kind`, `p.value`, `p.peekKind(2)`), never as objects, so
 * the parse allocates nothing per token (see TokenQueue).
 */
export class Cursor {
  private readonly queue: TokenQueue;
  private consumed = 0;
  private depth = 0;
  private lastEnd = 0;
  /** The kind and end of the last token consumed; a DEDENT there means the statement already ended with its block. */
  private previousKind: TokenKind;
  private previousEnd: number;
  /** Items of the lists being parsed, innermost list last (see `startList`). */
  private readonly listItems: unknown[] = [];
  private listTop = 0;

  constructor(
    private readonly lexer: TokenSource,
    readonly sink: DiagnosticSink,
    readonly text: string,
  ) {
    this.queue = lexer.tokens;
    this.previousKind = this.kind;
    this.previousEnd = this.end;
  }

  /**
   * Starts a list (a block's statements, properties, arguments, array elements): its items go on
   * one stack shared by the lists being parsed, and `endList` copies them out at their length.
   * An array grown by push keeps room for 16 items while most lists hold one or two: that room
   * was a sixth of the syntax tree's bytes, and copying the arrays to size left them as garbage.
   */
  startList<T>(): ListStart<T> {
    return this.listTop as ListStart<T>;
  }

  addToList<T>(_list: ListStart<T>, item: T): void {
    this.listItems[this.listTop++] = item;
  }

  /** The items added since `list` started, which leave the stack. */
  endList<T>(list: ListStart<T>): T[] {
    const items = this.listItems.slice(list, this.listTop) as T[];
    this.listTop = list;
    return items;
  }

  /** How many tokens were consumed; the statement loop uses it to guarantee progress. */
  get position(): number {
    return this.consumed;
  }

  /**
   * The queue slot of the token `ahead` places on, lexing as far as that; past the end, EOF's.
   * Call it before reading the queue's fields: lexing may grow the ring, which replaces them.
   */
  private slot(ahead: number): number {
    const queue = this.queue;
    while (queue.size <= ahead) {
      if (this.lexer.done) return queue.slot(queue.size - 1);
      this.lexer.fill();
    }
    return queue.slot(ahead);
  }

  get kind(): TokenKind {
    const i = this.slot(0);
    return this.queue.kinds[i] as TokenKind;
  }

  /** The name, the punctuation, the number as written, or the decoded string / discretion text. */
  get value(): string {
    const i = this.slot(0);
    return this.queue.values[i] as string;
  }

  get start(): number {
    const i = this.slot(0);
    return this.queue.starts[i] as number;
  }

  get end(): number {
    const i = this.slot(0);
    return this.queue.ends[i] as number;
  }

  /** A `"""` string, or a `***` discretion marker. */
  get triple(): boolean {
    const i = this.slot(0);
    return this.queue.triples[i] as boolean;
  }

  peekKind(ahead = 1): TokenKind {
    const i = this.slot(ahead);
    return this.queue.kinds[i] as TokenKind;
  }

  peekValue(ahead = 1): string {
    const i = this.slot(ahead);
    return this.queue.values[i] as string;
  }

  peekStart(ahead = 1): number {
    const i = this.slot(ahead);
    return this.queue.starts[i] as number;
  }

  /** Whether the token `ahead` places on is of that kind (and has that value). */
  peekIs(ahead: number, kind: TokenKind, value?: string): boolean {
    const i = this.slot(ahead);
    return this.queue.kinds[i] === kind && (value === undefined || this.queue.values[i] === value);
  }

  /** Whether the token `ahead` places on is NEWLINE, DEDENT or EOF. */
  peekAtLineEnd(ahead = 1): boolean {
    const kind = this.peekKind(ahead);
    return kind === 'newline' || kind === 'dedent' || kind === 'eof';
  }

  /** The token `ahead` places on, in words, for "expected X, found Y". */
  describe(ahead = 0): string {
    const i = this.slot(ahead);
    return describe(this.queue.kinds[i] as TokenKind, this.queue.values[i] as string);
  }

  /** Consumes the current token (never EOF, which stays the current token for good). */
  next(): void {
    const queue = this.queue;
    const i = this.slot(0);
    const kind = queue.kinds[i] as TokenKind;
    const end = queue.ends[i] as number;
    if (kind !== 'eof') {
      queue.shift();
      this.consumed += 1;
    }
    this.previousKind = kind;
    this.previousEnd = end;
    if (!isLayout(kind)) this.lastEnd = end;
  }

  /** Consumes the current token and returns where it started, as a node's span does. */
  nextStart(): number {
    const start = this.start;
    this.next();
    return start;
  }

  /** The current token, whatever its kind, consumed as an Identifier (a phase or input named by a string, say). */
  nextIdentifier(): Identifier {
    const identifier: Identifier = { kind: 'Identifier', name: this.value, span: { start: this.start, end: this.end } };
    this.next();
    return identifier;
  }

  at(kind: TokenKind, value?: string): boolean {
    return this.peekIs(0, kind, value);
  }

  atPunct(value: string): boolean {
    return this.peekIs(0, 'punct', value);
  }

  atWord(value: string): boolean {
    return this.peekIs(0, 'name', value);
  }

  /**
   * Just after an indented block (a session's properties, say): only a continuation line (`|` or
   * `->`) may extend the expression; an operator there starts a new, broken statement.
   */
  afterBlock(): boolean {
    return this.previousKind === 'dedent';
  }

  /** The current token touches the previous one (`a[0]`, `f(x)`, not `a [0]`). */
  adjacent(): boolean {
    return this.start === this.previousEnd;
  }

  /** At NEWLINE, DEDENT or EOF: nothing more on this logical line. */
  atLineEnd(): boolean {
    return this.peekAtLineEnd(0);
  }

  eatPunct(value: string): boolean {
    if (!this.atPunct(value)) return false;
    this.next();
    return true;
  }

  eatWord(value: string): boolean {
    if (!this.atWord(value)) return false;
    this.next();
    return true;
  }

  expectPunct(value: string, context = ''): void {
    if (this.atPunct(value)) return this.next();
    return this.fail('E004', `expected \`${value}\`${context}, found ${this.describe()}`);
  }

  /** A name where one is expected; any word will do, keywords included. */
  expectName(what: string): Identifier {
    if (this.kind !== 'name') return this.fail('E004', `expected ${what}, found ${this.describe()}`);
    return this.nextIdentifier();
  }

  /** Reports at the current token and abandons the statement. */
  fail(code: Code, message: string, span?: Span, hint?: string): never {
    this.sink.report(code, span ?? { start: this.start, end: Math.max(this.end, this.start) }, message, hint);
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
    const lists = this.listTop;
    try {
      return this.nested(parse);
    } catch (error) {
      if (!(error instanceof StatementAbort)) throw error;
      // Lists the abandoned item had started end with it.
      this.listTop = lists;
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
      const kind = this.kind;
      if (kind === 'eof') return;
      if (kind === 'dedent') {
        if (blocks === 0) return;
        blocks -= 1;
        this.next();
        if (blocks === 0 && this.kind !== 'indent' && !this.atClause()) return;
        continue;
      }
      if (kind === 'indent') blocks += 1;
      this.next();
      if (kind === 'newline' && blocks === 0 && this.kind !== 'indent') return;
    }
  }

  private atClause(): boolean {
    if (this.kind !== 'name') return false;
    const value = this.value;
    return value === 'elif' || value === 'else' || value === 'catch' || value === 'finally';
  }

  /**
   * Ends a statement: its NEWLINE, or nothing when it already ended (with a block, or with a
   * statement inlined after a header's `:`), or at a block's end.
   */
  endStatement(): void {
    if (this.previousKind === 'dedent' || this.previousKind === 'newline') return;
    const kind = this.kind;
    if (kind === 'newline') {
      this.next();
      return;
    }
    if (kind === 'dedent' || kind === 'eof') return;
    this.fail('E004', `expected the end of the line, found ${this.describe()}`);
  }
}
