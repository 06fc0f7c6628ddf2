import type { DiagnosticSink } from './diagnostics.js';
import { NameTable, isCloser, isDigit, isNamePart, isNameStart, isOpener, oneCharPunct, twoCharPunct } from './lex-chars.js';
import { lineEnd, scanDiscretion, scanQuoted, scanTriple } from './lex-strings.js';
import { TokenQueue, type Comment, type Token, type TokenKind } from './tokens.js';

/** Past this many tokens the input is not a program anyone wrote by hand (10 MB of garbage). */
export const MAX_TOKENS = 2_000_000;

/** Every token at once: for tests and tools; the parser pulls tokens from a `Lexer` instead. */
export interface LexResult {
  tokens: Token[];
  comments: Comment[];
}

/** Words that start a statement: one at the indentation of an unclosed bracket means it was never closed. */
export const STATEMENT_WORDS: ReadonlySet<string> = new Set(
  'agent session let const if elif else for loop repeat parallel try catch finally choice option do block phase input output use import throw assert exec verify checkpoint rollback gate resume'.split(' '),
);

/**
 * Turns source text into tokens with Python-style layout: NEWLINE ends a logical line,
 * INDENT/DEDENT open and close blocks. Newlines inside `( [ {` do not end a line, and a line that
 * starts with `|` or `->` continues the one before (pipelines and sequences across lines).
 */
export function lex(text: string, sink: DiagnosticSink): LexResult {
  const lexer = new Lexer(text, sink);
  const queue = lexer.tokens;
  const tokens: Token[] = [];
  for (;;) {
    if (queue.size === 0) lexer.fill();
    const token = queue.token(0);
    queue.shift();
    tokens.push(token);
    if (token.kind === 'eof') return { tokens, comments: lexer.comments };
  }
}

/**
 * Produces tokens on demand into `tokens`, which the parser's cursor reads and consumes: the
 * tokens of a whole program never exist at once (an array of them made a third of the parse
 * time GC), and none of them is an object.
 */
export class Lexer {
  readonly comments: Comment[] = [];
  readonly tokens = new TokenQueue();
  private ended = false;
  private count = 0;
  private readonly indents: number[] = [0];
  /** The indentation of the line that opened each unclosed bracket. */
  private readonly brackets: number[] = [];
  private pos = 0;
  private atLineStart = true;
  private pendingNewline = false;
  private lineIndent = 0;
  private lineHasTokens = false;
  private garbageReportedAt = -1;
  /** Where the last real token ended: layout tokens sit there, so errors point at the line they end. */
  private lastEnd = 0;
  private readonly names = new NameTable();

  constructor(
    private readonly text: string,
    private readonly sink: DiagnosticSink,
  ) {}

  /** EOF is queued: nothing more will come. */
  get done(): boolean {
    return this.ended;
  }

  /** Reads source until at least one more token is queued; nothing once EOF is. */
  fill(): void {
    const { text, tokens } = this;
    const before = tokens.size;
    while (tokens.size === before && !this.ended) {
      if (this.count >= MAX_TOKENS) {
        this.sink.report('P113', { start: this.pos, end: this.pos }, `program too large: more than ${MAX_TOKENS} tokens; the rest was not read`);
        return this.finish();
      }
      if (this.atLineStart && !this.startLine()) return this.finish();
      const c = text.charCodeAt(this.pos);
      // No-break spaces and stray byte-order marks come with text pasted from documents.
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) {
        this.pos += 1;
      } else if (c === 10) {
        this.pos += 1;
        this.atLineStart = true;
      } else if (Number.isNaN(c)) {
        return this.finish();
      } else if (c === 35) {
        this.comment(false);
      } else {
        this.token(c);
      }
    }
  }

  /** Ends the last line, closes every open block, and queues EOF. */
  private finish(): void {
    const end = this.lastEnd;
    if (this.pendingNewline) this.push('newline', '', end, end);
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('dedent', '', end, end);
    }
    this.push('eof', '', end, end);
    this.ended = true;
  }

  /** Measures a physical line's indentation and emits layout tokens; false at the end of input. */
  private startLine(): boolean {
    const { text } = this;
    for (;;) {
      let i = this.pos;
      let column = 0;
      let tab = -1;
      for (let c = text.charCodeAt(i); c === 32 || c === 9; c = text.charCodeAt(++i)) {
        if (c === 9 && tab === -1) tab = i;
        column += 1;
      }
      if (i >= text.length) {
        this.pos = i;
        return false;
      }
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10) || c === 35) {
        this.pos = i;
        if (c === 35) this.comment(true);
        this.pos = text.indexOf('\n', this.pos) + 1 || text.length;
        continue;
      }
      this.pos = i;
      this.atLineStart = false;
      if (this.brackets.length > 0) {
        if (this.continuesBrackets(i, column)) return true;
        // Only when there is something to drop: setting an array's length is a runtime call, once per line.
        this.brackets.length = 0;
      }
      if (tab !== -1) this.sink.report('E005', { start: tab, end: tab + 1 }, 'indentation uses a tab: indent with spaces');
      this.layout(i, column);
      return true;
    }
  }

  private top(): number {
    return this.indents[this.indents.length - 1] ?? 0;
  }

  private layout(at: number, column: number): void {
    const { text } = this;
    const c = text.charCodeAt(at);
    const continues = (c === 124 && text.charCodeAt(at + 1) !== 124) || (c === 45 && text.charCodeAt(at + 1) === 62);
    if (continues && this.pendingNewline) {
      if (this.top() <= column) return;
      this.push('newline', '', this.lastEnd, this.lastEnd);
      while (this.top() > column) {
        this.indents.pop();
        this.push('dedent', '', this.lastEnd, this.lastEnd);
      }
      return;
    }
    if (this.pendingNewline) this.push('newline', '', this.lastEnd, this.lastEnd);
    this.lineIndent = column;
    if (column > this.top()) {
      this.indents.push(column);
      this.push('indent', '', at - column, at);
      return;
    }
    while (column < this.top()) {
      this.indents.pop();
      this.push('dedent', '', this.lastEnd, this.lastEnd);
    }
    if (column !== this.top()) {
      this.sink.report('E005', { start: at, end: at }, 'this line is indented less than its block but more than the enclosing one');
    }
  }

  /**
   * Inside brackets newlines do not count, but a bracket that is never closed would swallow the
   * rest of the file. A line indented less than the one that opened the bracket, or a statement
   * keyword at the same indentation, means the bracket was left open: lines resume there.
   * True while the line still belongs inside the brackets.
   */
  private continuesBrackets(at: number, column: number): boolean {
    const outer = this.brackets[0] ?? 0;
    const c = this.text.charCodeAt(at);
    if (c === 41 || c === 93 || c === 125) return true;
    if (column < outer) return false;
    if (column > outer) return true;
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(at, at + 20))?.[0];
    if (word === undefined || !STATEMENT_WORDS.has(word)) return true;
    let i = at + word.length;
    while (this.text.charCodeAt(i) === 32) i += 1;
    const next = this.text[i];
    return next === ':' || next === ',' || next === '=' || next === '}' || next === ']' || next === ')';
  }

  private comment(ownLine: boolean): void {
    const start = this.pos;
    const end = lineEnd(this.text, start);
    this.comments.push({ text: this.text.slice(start + 1, end), span: { start, end }, ownLine: ownLine || !this.lineHasTokens });
    this.pos = end;
  }

  private token(c: number): void {
    const { text } = this;
    const start = this.pos;
    if (isNameStart(c, text, start)) return this.name(start);
    if (isDigit(c)) return this.number(start);
    if (c === 34) {
      const triple = text.startsWith('"""', start);
      const { value, end } = triple ? scanTriple(text, start, this.sink) : scanQuoted(text, start, this.sink);
      return this.push('string', value, start, end, triple);
    }
    if (c === 42 && text.charCodeAt(start + 1) === 42) {
      const { value, end, triple } = scanDiscretion(text, start, this.sink);
      return this.push('discretion', value, start, end, triple);
    }
    const two = twoCharPunct(c, text.charCodeAt(start + 1));
    if (two !== undefined) return this.push('punct', two, start, start + 2);
    const one = oneCharPunct(c);
    if (one !== undefined) {
      if (isOpener(c)) this.brackets.push(this.lineIndent);
      else if (isCloser(c)) this.brackets.pop();
      return this.push('punct', one, start, start + 1);
    }
    this.unexpected(start);
  }

  private name(start: number): void {
    const { text } = this;
    let i = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
    for (;;) {
      const c = text.charCodeAt(i);
      if (isNamePart(c, text, i)) i += c > 0xffff || (c >= 0xd800 && c <= 0xdbff) ? 2 : 1;
      else if (c === 45 && isNamePart(text.charCodeAt(i + 1), text, i + 1)) i += 2;
      else break;
    }
    this.push('name', this.names.intern(text, start, i), start, i);
  }

  private number(start: number): void {
    const { text } = this;
    let i = start + 1;
    while (isDigit(text.charCodeAt(i))) i += 1;
    if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i += 1;
    }
    this.push('number', text.slice(start, i), start, i);
  }

  /** One report per line: binary garbage would otherwise give one per byte. */
  private unexpected(start: number): void {
    const codePoint = this.text.codePointAt(start) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const lineStart = this.text.lastIndexOf('\n', start) + 1;
    if (this.garbageReportedAt !== lineStart) {
      this.garbageReportedAt = lineStart;
      const shown = codePoint < 32 || codePoint === 127 ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` : `\`${String.fromCodePoint(codePoint)}\``;
      this.sink.report('E004', { start, end: start + width }, `unexpected character ${shown}`);
    }
    this.pos = start + width;
  }

  private push(kind: TokenKind, value: string, start: number, end: number, triple = false): void {
    this.tokens.push(kind, value, start, end, triple);
    this.count += 1;
    if (kind === 'newline') {
      this.pendingNewline = false;
      this.lineHasTokens = false;
    } else if (kind !== 'indent' && kind !== 'dedent' && kind !== 'eof') {
      this.pendingNewline = true;
      this.lineHasTokens = true;
      this.lastEnd = end;
    }
    if (kind !== 'newline' && kind !== 'indent' && kind !== 'dedent') this.pos = end;
  }
}
