import type { Argument, Checkpoint, DoBlock, DoCall, Exec, Expression, Gate, Identifier, Parallel, ParallelFor, Resume, Session, Verify } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseForHead } from './parse-control.js';
import { OPERATOR_WORDS, parseAdditive, parseArguments } from './parse-expressions.js';
import { parseOptionalProperties } from './parse-properties.js';
import { parseBody } from './parse-statements.js';

/** Whether the token `ahead` places on can start an operand: a literal, or a word that is not an operator. */
function isOperand(p: Cursor, ahead: number): boolean {
  const kind = p.peekKind(ahead);
  return kind === 'string' || kind === 'number' || kind === 'discretion' || (kind === 'name' && !OPERATOR_WORDS.has(p.peekValue(ahead)));
}

function nextIs(p: Cursor, punct: string): boolean {
  return p.peekIs(1, 'punct', punct);
}

/** `session (a + b)` takes a prompt; `session(…)`, with no space, calls something named session. */
function spacedParen(p: Cursor): boolean {
  return nextIs(p, '(') && p.peekStart() > p.end;
}

/**
 * The words that do something (`session`, `resume`, `do`, `parallel`, `exec`, `verify`,
 * `checkpoint`, `gate`) when what follows fits; otherwise the word is an ordinary name and
 * undefined is returned (`verify.passed` reads a variable called `verify`).
 */
export function parseAction(p: Cursor): Expression | undefined {
  const next = p.peekKind();
  switch (p.value) {
    case 'session':
      return next !== 'punct' || nextIs(p, ':') || spacedParen(p) ? parseSession(p) : undefined;
    case 'resume':
      return nextIs(p, ':') ? parseResume(p) : undefined;
    case 'do':
      return nextIs(p, ':') || nextIs(p, '{') || next === 'name' ? parseDo(p) : undefined;
    case 'parallel':
      return nextIs(p, ':') || nextIs(p, '(') || nextIs(p, '{') || p.peekIs(1, 'name', 'for') ? parseParallel(p) : undefined;
    case 'exec':
      return isOperand(p, 1) ? parseExec(p) : undefined;
    case 'verify':
      return isOperand(p, 1) || p.peekAtLineEnd() || nextIs(p, ':') || spacedParen(p) ? parseVerify(p) : undefined;
    case 'checkpoint':
      return isOperand(p, 1) || p.peekAtLineEnd() ? parseCheckpoint(p) : undefined;
    case 'gate':
      return next === 'name' && p.peekIs(2, 'punct', ':') ? parseGate(p) : undefined;
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
  const start = p.nextStart();
  let prompt: Expression | undefined;
  let agent: Identifier | undefined;
  let label: Identifier | undefined;
  if (p.eatPunct(':')) {
    agent = p.expectName('an agent name after `session:`');
  } else if (p.at('name') && p.peekIs(1, 'punct', ':')) {
    label = p.expectName('a session label');
    p.next();
    agent = p.expectName('an agent name after the label');
  } else if (!p.atLineEnd()) {
    prompt = parseAdditive(p);
  }
  const properties = parseOptionalProperties(p);
  return { kind: 'Session', prompt, agent, label, properties, span: p.spanFrom(start) };
}

/** Resume : 'resume' ':' NAME Properties? */
function parseResume(p: Cursor): Resume {
  const start = p.nextStart();
  p.next();
  const agent = p.expectName('an agent name after `resume:`');
  const properties = parseOptionalProperties(p);
  return { kind: 'Resume', agent, properties, span: p.spanFrom(start) };
}

/** Do : 'do' Body | 'do' NAME Arguments? */
function parseDo(p: Cursor): DoBlock | DoCall {
  const start = p.nextStart();
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
  const start = p.nextStart();
  let modifiers: Argument[] = p.atPunct('(') ? parseArguments(p) : [];
  if (!p.eatWord('for')) return { kind: 'Parallel', modifiers, body: parseBody(p, start), span: p.spanFrom(start) };
  const { item, index, iterable } = parseForHead(p);
  if (p.atPunct('(')) modifiers = [...modifiers, ...parseArguments(p)];
  const body = parseBody(p, start);
  return { kind: 'ParallelFor', item, index, iterable, modifiers, body, span: p.spanFrom(start) };
}

/** Exec : 'exec' Additive Properties? */
function parseExec(p: Cursor): Exec {
  const start = p.nextStart();
  const command = parseAdditive(p);
  const properties = parseOptionalProperties(p);
  return { kind: 'Exec', command, properties, span: p.spanFrom(start) };
}

/** Verify : 'verify' (Gate (',' Gate)*)? ;  Gate : NAME | STRING */
function parseVerify(p: Cursor): Verify {
  const start = p.nextStart();
  const gates: Identifier[] = [];
  while ((p.at('name') && !OPERATOR_WORDS.has(p.value)) || p.at('string')) {
    gates.push(p.nextIdentifier());
    if (!p.eatPunct(',')) break;
    if (!p.at('name') && !p.at('string')) p.fail('E004', `expected a gate name after \`,\`, found ${p.describe()}`);
  }
  return { kind: 'Verify', gates, span: p.spanFrom(start) };
}

/** Checkpoint : 'checkpoint' 'good'? Additive? */
function parseCheckpoint(p: Cursor): Checkpoint {
  const start = p.nextStart();
  const good = p.eatWord('good');
  const message = isOperand(p, 0) ? parseAdditive(p) : undefined;
  return { kind: 'Checkpoint', good, message, span: p.spanFrom(start) };
}

/** Gate : 'gate' NAME ':' PropertyBlock? */
function parseGate(p: Cursor): Gate {
  const start = p.nextStart();
  const name = p.expectName('a gate name');
  p.next();
  const properties = parseOptionalProperties(p);
  return { kind: 'Gate', name, properties, span: p.spanFrom(start) };
}
