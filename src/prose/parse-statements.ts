import type { Agent, Assert, Assign, Block, BlockDefinition, Destructure, Identifier, Import, Input, Let, Output, OutputDeclaration, Phase, Program, Property, Rollback, Statement, StringLiteral, Throw, Use } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseControl, parseOrphan, isControlStart, expectBlockColon } from './parse-control.js';
import { parseExpression, parseStringToken, parseValue } from './parse-expressions.js';
import { STATEMENT_WORDS } from './lexer.js';
import { parseOptionalProperties, parseProperty, parsePropertyBlock, startsProperty } from './parse-properties.js';
import type { Comment } from './tokens.js';

/** Program : Statement* EOF */
export function parseProgramBody(p: Cursor, comments: Comment[]): Program {
  const statements = parseStatements(p, false);
  return { kind: 'Program', statements, comments, span: { start: 0, end: p.text.length } };
}

/**
 * Statements until the DEDENT that closes the block (or EOF). A statement that fails is skipped
 * with its indented block, so one mistake gives one diagnostic.
 */
export function parseStatements(p: Cursor, inBlock: boolean): Statement[] {
  const statements = p.startList<Statement>();
  for (;;) {
    const kind = p.kind;
    if (kind === 'eof' || (kind === 'dedent' && inBlock)) return p.endList(statements);
    if (kind === 'newline' || kind === 'dedent') {
      p.next();
      continue;
    }
    if (kind === 'indent') {
      p.report('E005', { start: p.end, end: p.end }, 'unexpected indentation: only a line ending in `:` (or a session, agent or gate) opens an indented block');
      p.next();
      for (const statement of parseStatements(p, true)) p.addToList(statements, statement);
      if (p.at('dedent')) p.next();
      continue;
    }
    const statement = p.attempt(parseStatement);
    if (statement !== undefined) p.addToList(statements, statement);
  }
}

/**
 * Body : ':' NEWLINE INDENT Statement+ DEDENT
 *      | ':' Statement                          (one statement on the header line)
 */
export function parseBody(p: Cursor, headerStart: number): Block {
  expectBlockColon(p, headerStart);
  // A block's span starts at its header, so `else:` and `finally:` have a position of their own.
  const start = headerStart;
  if (!p.at('newline')) {
    const statement = parseStatement(p);
    return { kind: 'Block', statements: [statement], span: { start, end: statement.span.end } };
  }
  p.next();
  if (!p.at('indent')) {
    p.report('E005', { start: p.start, end: p.start }, 'expected an indented block after the `:`');
    return { kind: 'Block', statements: [], span: p.spanFrom(start) };
  }
  p.next();
  const statements = parseStatements(p, true);
  if (p.at('dedent')) p.next();
  return { kind: 'Block', statements, span: p.spanFrom(start) };
}

function followedByAssign(p: Cursor): boolean {
  return p.peekIs(1, 'punct', '=');
}

/** Statement : Declaration | Binding | Control | Throw | Assert | Rollback | Value */
export function parseStatement(p: Cursor): Statement {
  const named = p.kind === 'name';
  if (named && followedByAssign(p)) return parseAssign(p);
  const statement = named ? parseKeywordStatement(p, p.value) : undefined;
  if (statement !== undefined) return statement;
  const value = parseValue(p);
  p.endStatement();
  return value;
}

function parseKeywordStatement(p: Cursor, word: string): Statement | undefined {
  const next = p.peekKind();
  switch (word) {
    case 'use':
      return next === 'string' ? parseUse(p) : undefined;
    case 'import':
      return next === 'string' ? parseImport(p) : undefined;
    case 'input':
      return next === 'name' || next === 'string' || p.peekIs(1, 'punct', ':') ? parseInput(p) : undefined;
    case 'output':
      return p.peekAtLineEnd() ? undefined : parseOutput(p);
    case 'agent':
      return next === 'name' ? parseAgent(p) : undefined;
    case 'block':
      return next === 'name' ? parseBlockDefinition(p) : undefined;
    case 'phase':
      return next === 'name' || next === 'string' ? parsePhase(p) : undefined;
    case 'let':
    case 'const':
      return next === 'name' || p.peekIs(1, 'punct', '{') ? parseLet(p) : undefined;
    case 'throw':
      return parseThrow(p);
    case 'assert':
      return parseAssert(p);
    case 'rollback':
      return parseRollback(p);
    case 'elif':
    case 'else':
    case 'catch':
    case 'finally':
    case 'option':
      return parseOrphan(p, word);
    default:
      return isControlStart(p) ? parseControl(p) : undefined;
  }
}

/** Use : 'use' STRING ('as' NAME)? */
function parseUse(p: Cursor): Use {
  const start = p.nextStart();
  const path = parseStringToken(p);
  const alias = p.eatWord('as') ? p.expectName('a name after `as`') : undefined;
  p.endStatement();
  return { kind: 'Use', path, alias, span: p.spanFrom(start) };
}

/** Import : 'import' STRING 'from' STRING   (legacy skill import) */
function parseImport(p: Cursor): Import {
  const start = p.nextStart();
  const skill = parseStringToken(p);
  if (!p.eatWord('from')) p.fail('E004', `expected \`from\` after the skill name, found ${p.describe()}`);
  const source = expectString(p, 'the import source after `from`');
  p.endStatement();
  return { kind: 'Import', skill, source, span: p.spanFrom(start) };
}

function expectString(p: Cursor, what: string): StringLiteral {
  if (!p.at('string')) p.fail('E004', `expected ${what}, found ${p.describe()}`);
  return parseStringToken(p);
}

/** Input : 'input' NAME (':' Expression)? Properties? */
function parseInput(p: Cursor): Input {
  const start = p.nextStart();
  let name: Identifier;
  if (p.at('name') || p.at('string')) {
    name = p.nextIdentifier();
  } else {
    name = { kind: 'Identifier', name: '', span: { start: p.start, end: p.start } };
  }
  if (name.name.trim() === '') p.report('E020', name.span, 'input needs a name: `input topic: "What should be researched?"`');
  const prompt = p.eatPunct(':') && !p.atLineEnd() ? parseExpression(p) : undefined;
  const properties = parseOptionalProperties(p);
  p.endStatement();
  return { kind: 'Input', name, prompt, properties, span: p.spanFrom(start) };
}

/**
 * Output : 'output' NAME '=' Value | 'output' Value
 *        | 'output' NAME ':' STRING          (a declaration with a description)
 */
function parseOutput(p: Cursor): Output | OutputDeclaration {
  const start = p.nextStart();
  // Only `NAME: "text"` declares: `output session: solver` returns a session.
  if (p.at('name') && p.peekIs(1, 'punct', ':') && p.peekKind(2) === 'string' && p.peekAtLineEnd(3)) {
    const name = p.expectName('an output name');
    p.next();
    const description = parseStringToken(p);
    p.endStatement();
    return { kind: 'OutputDeclaration', name, description, span: p.spanFrom(start) };
  }
  const named = p.at('name') && followedByAssign(p);
  const name = named ? p.expectName('an output name') : undefined;
  if (named) p.next();
  const value = parseValue(p);
  p.endStatement();
  return { kind: 'Output', name, value, span: p.spanFrom(start) };
}

/** Agent : 'agent' NAME ':' PropertyBlock */
function parseAgent(p: Cursor): Agent {
  const start = p.nextStart();
  const name = p.expectName('an agent name');
  expectBlockColon(p, start);
  const properties = p.at('newline') && p.peekKind() === 'indent' ? parsePropertyBlock(p) : [];
  p.endStatement();
  return { kind: 'Agent', name, properties, span: p.spanFrom(start) };
}

/** BlockDefinition : 'block' NAME ('(' NAME (',' NAME)* ')')? Body */
function parseBlockDefinition(p: Cursor): BlockDefinition {
  const start = p.nextStart();
  const name = p.expectName('a block name');
  const params: Identifier[] = [];
  if (p.eatPunct('(')) {
    while (!p.atPunct(')')) {
      params.push(p.expectName('a parameter name'));
      if (!p.eatPunct(',')) break;
    }
    p.expectPunct(')', ' after the parameters');
  }
  const body = parseBody(p, start);
  p.endStatement();
  return { kind: 'BlockDefinition', name, params, body, span: p.spanFrom(start) };
}

/**
 * Phase         : 'phase' (NAME | STRING) (Body | ':' NEWLINE INDENT PhaseProperty+ Statement* DEDENT)
 * PhaseProperty : NAME ':' Expression NEWLINE      (NAME not a statement word: `timeout:`, `expect:`)
 */
function parsePhase(p: Cursor): Phase {
  const start = p.nextStart();
  const name = p.nextIdentifier();
  if (p.atPunct('(')) {
    p.fail('E004', 'a phase takes its properties on the first lines of its body, not in its header', undefined, `phase ${name.name}:\n  timeout: "30m"\n  expect: ["dist/app.js"]\n  …`);
  }
  if (!(p.atPunct(':') && p.peekKind() === 'newline' && p.peekKind(2) === 'indent' && startsPhaseProperty(p, 3))) {
    const body = parseBody(p, start);
    p.endStatement();
    return { kind: 'Phase', name, properties: [], body, span: p.spanFrom(start) };
  }
  p.next();
  p.next();
  p.next();
  const list = p.startList<Property>();
  while (startsPhaseProperty(p, 0)) {
    const property = p.attempt(parseProperty);
    if (property !== undefined) p.addToList(list, property);
    while (p.at('newline')) p.next();
  }
  const properties = p.endList(list);
  const statements = parseStatements(p, true);
  if (p.at('dedent')) p.next();
  const body: Block = { kind: 'Block', statements, span: p.spanFrom(start) };
  p.endStatement();
  return { kind: 'Phase', name, properties, body, span: p.spanFrom(start) };
}

/** `NAME:` where no statement starts: every statement that opens with `word:` (`session:`, `do:`, `try:`) begins with a statement word. */
function startsPhaseProperty(p: Cursor, ahead: number): boolean {
  return startsProperty(p, ahead) && !STATEMENT_WORDS.has(p.peekValue(ahead));
}

/** Let : ('let' | 'const') (NAME | '{' NAME (',' NAME)* '}') '=' Value */
function parseLet(p: Cursor): Let {
  const { value: keyword, start } = p;
  p.next();
  let target: Identifier | Destructure;
  if (p.atPunct('{')) {
    const open = p.nextStart();
    const names: Identifier[] = [];
    while (!p.atPunct('}')) {
      names.push(p.expectName('a name to bind'));
      if (!p.eatPunct(',')) break;
    }
    p.expectPunct('}', ' after the names');
    target = { kind: 'Destructure', names, span: p.spanFrom(open) };
  } else {
    target = p.expectName('a variable name');
  }
  p.expectPunct('=', ` after \`${keyword} ${target.kind === 'Identifier' ? target.name : '{…}'}\``);
  const value = parseValue(p);
  p.endStatement();
  return { kind: 'Let', constant: keyword === 'const', target, value, span: p.spanFrom(start) };
}

/** Assign : NAME '=' Value */
function parseAssign(p: Cursor): Assign {
  const target = p.expectName('a variable name');
  p.next();
  const value = parseValue(p);
  p.endStatement();
  return { kind: 'Assign', target, value, span: p.spanFrom(target.span.start) };
}

/** Throw : 'throw' Expression? */
function parseThrow(p: Cursor): Throw {
  const start = p.nextStart();
  const message = p.atLineEnd() ? undefined : parseExpression(p);
  p.endStatement();
  return { kind: 'Throw', message, span: p.spanFrom(start) };
}

/** Assert : 'assert' Expression ((':' | ',') Expression)? */
function parseAssert(p: Cursor): Assert {
  const start = p.nextStart();
  const condition = parseExpression(p);
  const message = p.eatPunct(':') || p.eatPunct(',') ? parseExpression(p) : undefined;
  p.endStatement();
  return { kind: 'Assert', condition, message, span: p.spanFrom(start) };
}

/** Rollback : 'rollback' ('to'? Expression)? */
function parseRollback(p: Cursor): Rollback {
  const start = p.nextStart();
  p.eatWord('to');
  const target = p.atLineEnd() ? undefined : parseExpression(p);
  p.endStatement();
  return { kind: 'Rollback', target, span: p.spanFrom(start) };
}
