import type { Argument, Checkpoint, DoBlock, DoCall, Exec, Expression, Gate, Identifier, Parallel, ParallelFor, Resume, Session, Verify } from './ast.js';
import { type Cursor, describe } from './cursor.js';
import { parseForHead } from './parse-control.js';
import { OPERATOR_WORDS, atExpressionEnd, parseAdditive, parseArguments } from './parse-expressions.js';
import { parseOptionalProperties } from './parse-properties.js';
import { parseBody } from './parse-statements.js';
import type { Token } from './tokens.js';

function isPunct(token: Token, value: string): boolean {
  return token.kind === 'punct' && token.value === value;
}

function isOperand(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'number' || token.kind === 'discretion' || (token.kind === 'name' && !OPERATOR_WORDS.has(token.value));
}

/**
 * The words that do something (`session`, `resume`, `do`, `parallel`, `exec`, `verify`,
 * `checkpoint`, `gate`) when what follows fits; otherwise the word is an ordinary name and
 * undefined is returned (`verify.passed` reads a variable called `verify`).
 */
export function parseAction(p: Cursor): Expression | undefined {
  const next = p.peek();
  switch (p.token.value) {
    case 'session':
      return next.kind !== 'punct' || next.value === ':' || (next.value === '(' && next.start > p.token.end) ? parseSession(p) : undefined;
    case 'resume':
      return isPunct(next, ':') ? parseResume(p) : undefined;
    case 'do':
      return isPunct(next, ':') || isPunct(next, '{') || next.kind === 'name' ? parseDo(p) : undefined;
    case 'parallel':
      return isPunct(next, ':') || isPunct(next, '(') || isPunct(next, '{') || (next.kind === 'name' && next.value === 'for') ? parseParallel(p) : undefined;
    case 'exec':
      return isOperand(next) ? parseExec(p) : undefined;
    case 'verify':
      return isOperand(next) || atExpressionEnd(next) || isPunct(next, ':') || (isPunct(next, '(') && next.start > p.token.end) ? parseVerify(p) : undefined;
    case 'checkpoint':
      return isOperand(next) || atExpressionEnd(next) ? parseCheckpoint(p) : undefined;
    case 'gate':
      return next.kind === 'name' && isPunct(p.peek(2), ':') ? parseGate(p) : undefined;
    default:
      return undefined;
  }
}

/**
 * Session : 'session' ':' NAME Properties?
 *         | 'session' NAME ':' NAME Properties?          (a labelled session of an agent)
 *         | 'session' Additive? Properties?             (a prompt; `prompt:` may come as a property)
 */
function parseSession(p: Cursor): Session {
  const start = p.next().start;
  let prompt: Expression | undefined;
  let agent: Identifier | undefined;
  let label: Identifier | undefined;
  if (p.eatPunct(':')) {
    agent = p.expectName('an agent name after `session:`');
  } else if (p.at('name') && isPunct(p.peek(), ':')) {
    label = p.expectName('a session label');
    p.next();
    agent = p.expectName('an agent name after the label');
  } else if (!atExpressionEnd(p.token)) {
    prompt = parseAdditive(p);
  }
  const properties = parseOptionalProperties(p);
  return { kind: 'Session', prompt, agent, label, properties, span: p.spanFrom(start) };
}

/** Resume : 'resume' ':' NAME Properties? */
function parseResume(p: Cursor): Resume {
  const start = p.next().start;
  p.next();
  const agent = p.expectName('an agent name after `resume:`');
  const properties = parseOptionalProperties(p);
  return { kind: 'Resume', agent, properties, span: p.spanFrom(start) };
}

/** Do : 'do' Body | 'do' NAME Arguments? */
function parseDo(p: Cursor): DoBlock | DoCall {
  const start = p.next().start;
  if (!p.at('name')) return { kind: 'DoBlock', body: parseBody(p, start), span: p.spanFrom(start) };
  const name = p.expectName('a block name');
  const args = p.atPunct('(') ? parseArguments(p) : [];
  return { kind: 'DoCall', name, args, span: p.spanFrom(start) };
}

/**
 * Parallel    : 'parallel' Arguments? Body
 * ParallelFor : 'parallel' Arguments? 'for' ForHead Arguments? Body
 */
function parseParallel(p: Cursor): Parallel | ParallelFor {
  const start = p.next().start;
  let modifiers: Argument[] = p.atPunct('(') ? parseArguments(p) : [];
  if (!p.eatWord('for')) return { kind: 'Parallel', modifiers, body: parseBody(p, start), span: p.spanFrom(start) };
  const { item, index, iterable } = parseForHead(p);
  if (p.atPunct('(')) modifiers = [...modifiers, ...parseArguments(p)];
  const body = parseBody(p, start);
  return { kind: 'ParallelFor', item, index, iterable, modifiers, body, span: p.spanFrom(start) };
}

/** Exec : 'exec' Additive Properties? */
function parseExec(p: Cursor): Exec {
  const start = p.next().start;
  const command = parseAdditive(p);
  const properties = parseOptionalProperties(p);
  return { kind: 'Exec', command, properties, span: p.spanFrom(start) };
}

/** Verify : 'verify' (Gate (',' Gate)*)? ;  Gate : NAME | STRING */
function parseVerify(p: Cursor): Verify {
  const start = p.next().start;
  const gates: Identifier[] = [];
  while ((p.at('name') && !OPERATOR_WORDS.has(p.token.value)) || p.at('string')) {
    const token = p.next();
    gates.push({ kind: 'Identifier', name: token.value, span: { start: token.start, end: token.end } });
    if (!p.eatPunct(',')) break;
    if (!p.at('name') && !p.at('string')) p.fail('E004', `expected a gate name after \`,\`, found ${describe(p.token)}`);
  }
  return { kind: 'Verify', gates, span: p.spanFrom(start) };
}

/** Checkpoint : 'checkpoint' 'good'? Additive? */
function parseCheckpoint(p: Cursor): Checkpoint {
  const start = p.next().start;
  const good = p.eatWord('good') !== undefined;
  const message = isOperand(p.token) ? parseAdditive(p) : undefined;
  return { kind: 'Checkpoint', good, message, span: p.spanFrom(start) };
}

/** Gate : 'gate' NAME ':' PropertyBlock? */
function parseGate(p: Cursor): Gate {
  const start = p.next().start;
  const name = p.expectName('a gate name');
  p.next();
  const properties = parseOptionalProperties(p);
  return { kind: 'Gate', name, properties, span: p.spanFrom(start) };
}
