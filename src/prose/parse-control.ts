import type { Argument, Block, CatchClause, Choice, ChoiceOption, Control, For, Identifier, If, IfBranch, Loop, Repeat, Try } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseArguments, parseExpression } from './parse-expressions.js';
import { bracedToIndented } from './braced-block.js';
import { parseBody } from './parse-statements.js';

const NOT_A_HEADER = new Set(['=', '.', ',', ')', ']', '}']);
const LOOP_OPENERS = new Set([':', '(', '{']);
const LOOP_WORDS = new Set(['until', 'while', 'as']);

/** True when the current word starts `if`, `try`, `choice`, `repeat`, `for` or `loop` rather than naming a variable. */
export function isControlStart(p: Cursor): boolean {
  if (p.kind !== 'name') return false;
  const next = p.peekKind();
  const endsLine = next === 'newline' || next === 'eof' || next === 'dedent';
  const plainNext = !endsLine && !(next === 'punct' && NOT_A_HEADER.has(p.peekValue()));
  switch (p.value) {
    case 'if':
    case 'choice':
    case 'repeat':
      return plainNext;
    case 'try':
      return p.peekIs(1, 'punct', ':') || p.peekIs(1, 'punct', '{');
    case 'for': {
      const after = p.peekKind(2);
      return next === 'name' && ((after === 'name' && p.peekValue(2) === 'in') || (after === 'punct' && p.peekValue(2) === ','));
    }
    case 'loop':
      return (next === 'punct' && LOOP_OPENERS.has(p.peekValue())) || (next === 'name' && LOOP_WORDS.has(p.peekValue()));
    default:
      return false;
  }
}

export function parseControl(p: Cursor): Control {
  switch (p.value) {
    case 'if':
      return parseIf(p);
    case 'try':
      return parseTry(p);
    case 'choice':
      return parseChoice(p);
    case 'repeat':
      return parseRepeat(p);
    case 'for':
      return parseFor(p);
    default:
      return parseLoop(p);
  }
}

const ORPHANS: Record<string, string> = {
  elif: '`elif` without an `if` before it',
  else: '`else` without an `if` before it',
  catch: '`catch` without a `try` before it',
  finally: '`finally` without a `try` before it',
  option: '`option` outside a `choice`',
};

/** `else:` and friends with nothing to attach to: one diagnostic, and the clause is skipped. */
export function parseOrphan(p: Cursor, word: string): never {
  return p.fail('E005', ORPHANS[word] ?? `unexpected \`${word}\``, { start: p.start, end: p.end });
}

/** The `:` that ends a block header; a `{` there gets the indented form as a hint. */
export function expectBlockColon(p: Cursor, headerStart: number): void {
  if (p.eatPunct(':')) return;
  if (p.atPunct('{')) {
    const { start, end } = p;
    p.fail('E005', '`.prose` blocks are indented, not wrapped in braces', { start, end }, `indent the block instead:\n${bracedToIndented(p.text, headerStart, start)}`);
  }
  p.fail('E004', `expected \`:\` at the end of the header, found ${p.describe()}`);
}

/** If : 'if' Expression Body ('elif' Expression Body)* ('else' Body)?   (`else if` reads as `elif`) */
function parseIf(p: Cursor): If {
  const start = p.nextStart();
  const branches = p.startList<IfBranch>();
  p.addToList(branches, { condition: parseExpression(p), body: parseBody(p, start), span: p.spanFrom(start) });
  let otherwise: Block | undefined;
  for (;;) {
    const clause = p.start;
    const elseIf = p.atWord('else') && p.peekIs(1, 'name', 'if');
    if (p.atWord('elif') || elseIf) {
      p.next();
      if (elseIf) p.next();
      p.addToList(branches, { condition: parseExpression(p), body: parseBody(p, clause), span: p.spanFrom(clause) });
      continue;
    }
    if (p.eatWord('else')) otherwise = parseBody(p, clause);
    break;
  }
  return { kind: 'If', branches: p.endList(branches), otherwise, span: p.spanFrom(start) };
}

/** Try : 'try' Body ('catch' ('as'? NAME)? Body)? ('finally' Body)? */
function parseTry(p: Cursor): Try {
  const keyword = { start: p.start, end: p.end };
  p.next();
  const body = parseBody(p, keyword.start);
  let handler: CatchClause | undefined;
  let finalizer: Block | undefined;
  if (p.atWord('catch')) {
    const clause = p.nextStart();
    p.eatWord('as');
    const name = p.at('name') ? p.expectName('the error name') : undefined;
    handler = { name, body: parseBody(p, clause), span: p.spanFrom(clause) };
  }
  if (p.atWord('finally')) finalizer = parseBody(p, p.nextStart());
  if (handler === undefined && finalizer === undefined) {
    p.report('E005', keyword, '`try` needs a `catch` or a `finally` block');
  }
  return { kind: 'Try', body, handler, finalizer, span: p.spanFrom(keyword.start) };
}

/** Choice : 'choice' Expression ':' NEWLINE INDENT Option+ DEDENT */
function parseChoice(p: Cursor): Choice {
  const keyword = { start: p.start, end: p.end };
  p.next();
  const criteria = parseExpression(p);
  expectBlockColon(p, keyword.start);
  const options: ChoiceOption[] = [];
  if (!p.at('newline') || p.peekKind() !== 'indent') {
    p.report('E005', { start: p.start, end: p.start }, 'expected an indented block of `option "Label":` after the `:`');
    return { kind: 'Choice', criteria, options, span: p.spanFrom(keyword.start) };
  }
  p.next();
  p.next();
  while (!p.at('dedent') && !p.at('eof')) {
    if (p.at('newline')) {
      p.next();
      continue;
    }
    const option = p.attempt(parseChoiceItem);
    if (option !== undefined) options.push(option);
  }
  if (p.at('dedent')) p.next();
  if (options.length === 0) p.report('E005', keyword, '`choice` needs at least one `option "Label":` block');
  return { kind: 'Choice', criteria, options, span: p.spanFrom(keyword.start) };
}

function parseChoiceItem(p: Cursor): ChoiceOption {
  return p.atWord('option') ? parseOption(p) : p.fail('E005', 'a `choice` holds only `option "Label":` blocks');
}

/** Option : 'option' Expression Body */
function parseOption(p: Cursor): ChoiceOption {
  const start = p.nextStart();
  const label = parseExpression(p);
  const body = parseBody(p, start);
  return { label, body, span: p.spanFrom(start) };
}

/** Repeat : 'repeat' Expression ('as' NAME)? Body */
function parseRepeat(p: Cursor): Repeat {
  const start = p.nextStart();
  const count = parseExpression(p);
  const index = p.eatWord('as') ? p.expectName('a name after `as`') : undefined;
  const body = parseBody(p, start);
  return { kind: 'Repeat', count, index, body, span: p.spanFrom(start) };
}

/** For : 'for' NAME (',' NAME)? 'in' Expression Body */
function parseFor(p: Cursor): For {
  const start = p.nextStart();
  const { item, index, iterable } = parseForHead(p);
  const body = parseBody(p, start);
  return { kind: 'For', item, index, iterable, body, span: p.spanFrom(start) };
}

/** ForHead : NAME (',' NAME)? 'in' Expression   (shared with `parallel for`) */
export function parseForHead(p: Cursor): { item: Identifier; index: Identifier | undefined; iterable: ReturnType<typeof parseExpression> } {
  const item = p.expectName('a loop variable');
  const index = p.eatPunct(',') ? p.expectName('an index variable') : undefined;
  if (!p.eatWord('in')) p.fail('E004', `expected \`in\` after the loop variable, found ${p.describe()}`);
  return { item, index, iterable: parseExpression(p) };
}

/** Loop : 'loop' (('until' | 'while') Expression)? ('(' 'max' ':' Expression ')')? ('as' NAME)? Body */
function parseLoop(p: Cursor): Loop {
  const start = p.nextStart();
  const mode = p.atWord('until') || p.atWord('while') ? (p.value as 'until' | 'while') : undefined;
  if (mode !== undefined) p.next();
  const condition = mode === undefined ? undefined : parseExpression(p);
  let max: Loop['max'];
  let index: Identifier | undefined;
  for (;;) {
    if (p.atPunct('(')) max = loopMax(p, parseArguments(p), max);
    else if (p.eatWord('as')) index = p.expectName('a name after `as`');
    else break;
  }
  const body = parseBody(p, start);
  return { kind: 'Loop', mode, condition, max, index, body, span: p.spanFrom(start) };
}

/** The `max` of `(max: N)`; a second one is E009, since a reader cannot tell which one counts. */
function loopMax(p: Cursor, args: Argument[], before: Loop['max']): Loop['max'] {
  let max = before;
  for (const arg of args) {
    if (arg.name?.name !== 'max') p.report('E005', arg.span, 'unknown loop modifier: a loop takes only `(max: N)`');
    else if (max !== undefined) p.report('E009', arg.name.span, 'duplicate property `max`: a loop takes one `(max: N)`');
    else max = arg.value;
  }
  return max;
}
