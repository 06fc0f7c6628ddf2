import type { Argument, ArrayLiteral, BinaryOperator, Block, Discretion, Expression, Identifier, ObjectEntry, ObjectLiteral, PipelineStage, StringLiteral, Value } from './ast.js';
import type { Cursor } from './cursor.js';
import { findInterpolations } from './interpolation.js';
import { parseAction } from './parse-actions.js';
import { isControlStart, parseControl } from './parse-control.js';
import { parseBody } from './parse-statements.js';

/** Words that are operators inside expressions, never the start of an operand. */
export const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'is', 'as', 'in']);

/** Value : Control | Expression   (what a binding, an output or a parallel branch holds) */
export function parseValue(p: Cursor): Value {
  return isControlStart(p) ? parseControl(p) : parseExpression(p);
}

const OPERAND_ENDS = new Set([',', ')', ']', '}', ':']);

/** Words that are not a plain variable when they start an expression. */
const SPECIAL_WORDS = new Set(['session', 'resume', 'do', 'parallel', 'exec', 'verify', 'checkpoint', 'gate', 'true', 'false', 'null', ...OPERATOR_WORDS]);

/**
 * A literal or a variable standing alone (a prompt, a property value, an array element) is most
 * of what programs contain; it skips the descent through every precedence level.
 */
function loneOperand(p: Cursor): boolean {
  const ends = p.peekAtLineEnd() || (p.peekKind() === 'punct' && OPERAND_ENDS.has(p.peekValue()));
  if (!ends) return false;
  const kind = p.kind;
  return kind === 'string' || kind === 'number' || kind === 'discretion' || (kind === 'name' && !SPECIAL_WORDS.has(p.value));
}

/** Expression : Pipeline ('->' Pipeline)* */
export function parseExpression(p: Cursor): Expression {
  if (loneOperand(p)) return parsePrimary(p);
  const start = p.start;
  const first = parsePipeline(p);
  if (!p.atPunct('->')) return first;
  const steps = [first];
  while (p.eatPunct('->')) steps.push(parsePipeline(p));
  return { kind: 'Sequence', steps, span: p.spanFrom(start) };
}

const STAGES = new Set(['map', 'filter', 'reduce', 'pmap']);

/** Pipeline : Or ('|' Stage)* */
function parsePipeline(p: Cursor): Expression {
  const start = p.start;
  const source = parseOr(p);
  if (!p.atPunct('|')) return source;
  const stages = p.startList<PipelineStage>();
  while (p.eatPunct('|')) p.addToList(stages, parseStage(p));
  return { kind: 'Pipeline', source, stages: p.endList(stages), span: p.spanFrom(start) };
}

/** Stage : NAME ('(' NAME (',' NAME)* ')')? (Body | ':' Value)   — map, filter, reduce(acc, x), pmap */
function parseStage(p: Cursor): PipelineStage {
  const operator = p.expectName('a pipeline step (`map`, `filter`, `reduce` or `pmap`)');
  if (!STAGES.has(operator.name)) p.report('E005', operator.span, `unknown pipeline step \`${operator.name}\`: expected \`map\`, \`filter\`, \`reduce\` or \`pmap\``);
  const list = p.startList<Identifier>();
  if (p.eatPunct('(')) {
    while (!p.atPunct(')')) {
      p.addToList(list, p.expectName('a parameter name'));
      if (!p.eatPunct(',')) break;
    }
    p.expectPunct(')', ' after the parameters');
  }
  const params = p.endList(list);
  const body = p.atPunct(':') && !p.peekAtLineEnd() ? parseInlineStage(p) : parseBody(p, operator.span.start);
  return { operator, params, body, span: p.spanFrom(operator.span.start) };
}

/**
 * `| map: session "…"` on one line: the step's value, without ending the line and without
 * taking the `|` of the next step.
 */
function parseInlineStage(p: Cursor): Block {
  p.next();
  const value = isControlStart(p) ? parseControl(p) : parseOr(p);
  return { kind: 'Block', statements: [value], span: value.span };
}

function binary(operator: BinaryOperator, left: Expression, right: Expression): Expression {
  return { kind: 'Binary', operator, left, right, span: { start: left.span.start, end: right.span.end } };
}

/** Or : And ('or' And)* */
function parseOr(p: Cursor): Expression {
  let left = parseAnd(p);
  while (!p.afterBlock() && p.eatWord('or')) left = binary('or', left, parseAnd(p));
  return left;
}

/** And : Not ('and' Not)* */
function parseAnd(p: Cursor): Expression {
  let left = parseNot(p);
  while (!p.afterBlock() && p.eatWord('and')) left = binary('and', left, parseNot(p));
  return left;
}

/** Not : 'not' Not | Comparison */
function parseNot(p: Cursor): Expression {
  if (!p.atWord('not') || p.peekAtLineEnd()) return parseComparison(p);
  const start = p.nextStart();
  const operand = p.nested(parseNot);
  return { kind: 'Unary', operator: 'not', operand, span: p.spanFrom(start) };
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Comparison : Additive (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' 'not'? | 'not'? 'in') Additive)* */
function parseComparison(p: Cursor): Expression {
  let left = parseAdditive(p);
  for (;;) {
    let operator: BinaryOperator;
    if (p.afterBlock()) return left;
    const { kind, value } = p;
    if (kind === 'punct' && COMPARISONS.has(value)) operator = value as BinaryOperator;
    else if (kind === 'name' && (value === 'is' || value === 'in')) operator = value;
    else if (kind === 'name' && value === 'not' && p.peekIs(1, 'name', 'in')) operator = 'not in';
    else return left;
    p.next();
    if (operator === 'not in') p.next();
    if (operator === 'is' && p.eatWord('not')) operator = 'is not';
    left = binary(operator, left, parseAdditive(p));
  }
}

/** Additive : Multiplicative (('+' | '-') Multiplicative)* */
export function parseAdditive(p: Cursor): Expression {
  let left = parseMultiplicative(p);
  while (!p.afterBlock() && (p.atPunct('+') || p.atPunct('-'))) {
    const operator = p.value as BinaryOperator;
    p.next();
    left = binary(operator, left, parseMultiplicative(p));
  }
  return left;
}

/** Multiplicative : Unary (('*' | '/' | '%') Unary)* */
function parseMultiplicative(p: Cursor): Expression {
  let left = parseUnary(p);
  while (!p.afterBlock() && (p.atPunct('*') || p.atPunct('/') || p.atPunct('%'))) {
    const operator = p.value as BinaryOperator;
    p.next();
    left = binary(operator, left, parseUnary(p));
  }
  return left;
}

/** Unary : '-' Unary | Postfix */
function parseUnary(p: Cursor): Expression {
  if (!p.atPunct('-')) return parsePostfix(p);
  const start = p.nextStart();
  const operand = p.nested(parseUnary);
  return { kind: 'Unary', operator: '-', operand, span: p.spanFrom(start) };
}

/** Postfix : Primary ('.' NAME | '[' Expression ']' | '(' Arguments ')')*   (no space before `[` or `(`) */
function parsePostfix(p: Cursor): Expression {
  let expression = parsePrimary(p);
  for (;;) {
    const start = expression.span.start;
    if (p.afterBlock()) return expression;
    if (p.atPunct('.')) {
      p.next();
      const property = p.expectName('a property name after `.`');
      expression = { kind: 'Member', object: expression, property, span: p.spanFrom(start) };
    } else if (p.atPunct('[') && p.adjacent()) {
      p.next();
      const index = p.nested(parseExpression);
      p.expectPunct(']', ' after the index');
      expression = { kind: 'Index', object: expression, index, span: p.spanFrom(start) };
    } else if (p.atPunct('(') && p.adjacent() && expression.kind === 'Identifier') {
      const args = parseArguments(p);
      expression = { kind: 'Call', callee: expression, args, span: p.spanFrom(start) };
    } else {
      return expression;
    }
  }
}

/**
 * Primary : NUMBER | STRING | DISCRETION | 'true' | 'false' | 'null' | Action | NAME
 *         | '(' Expression ')' | Array | Object
 */
function parsePrimary(p: Cursor): Expression {
  switch (p.kind) {
    case 'number': {
      const number: Expression = { kind: 'Number', value: Number(p.value), raw: p.value, span: { start: p.start, end: p.end } };
      p.next();
      return number;
    }
    case 'string':
      return parseStringToken(p);
    case 'discretion':
      return parseDiscretion(p);
    case 'name':
      return parseWord(p);
    case 'punct':
      if (p.value === '(') return p.nested(parseParenthesized);
      if (p.value === '[') return p.nested(parseArray);
      if (p.value === '{') return p.nested(parseObject);
      break;
    default:
      break;
  }
  return p.fail('E004', `expected an expression, found ${p.describe()}`);
}

function parseWord(p: Cursor): Expression {
  const word = p.value;
  if (OPERATOR_WORDS.has(word) && word !== 'not') return p.fail('E004', `expected an expression, found ${p.describe()}`);
  const action = parseAction(p);
  if (action !== undefined) return action;
  const span = { start: p.start, end: p.end };
  p.next();
  if (word === 'true' || word === 'false') return { kind: 'Boolean', value: word === 'true', span };
  if (word === 'null') return { kind: 'Null', span };
  return { kind: 'Identifier', name: word, span };
}

export function parseStringToken(p: Cursor): StringLiteral {
  if (p.kind !== 'string') {
    // Callers look for a string first; should one not, the token is consumed before the report,
    // which then points at what follows it (as it always has).
    const found = p.describe();
    p.next();
    return p.fail('E004', `expected a string, found ${found}`);
  }
  const { value, triple, start, end } = p;
  p.next();
  return { kind: 'String', value, triple, interpolations: findInterpolations(value), span: { start, end } };
}

function parseDiscretion(p: Cursor): Discretion {
  const { value, triple, start, end } = p;
  p.next();
  return { kind: 'Discretion', text: value, triple, interpolations: findInterpolations(value), span: { start, end } };
}

function parseParenthesized(p: Cursor): Expression {
  p.next();
  const inner = parseExpression(p);
  p.expectPunct(')', ' to close the `(`');
  return inner;
}

/** Array : '[' (Expression (',' Expression)* ','?)? ']' */
function parseArray(p: Cursor): ArrayLiteral {
  const start = p.nextStart();
  const elements = p.startList<Expression>();
  while (!p.atPunct(']')) {
    p.addToList(elements, parseExpression(p));
    if (!p.eatPunct(',')) break;
  }
  p.expectPunct(']', ' to close the array');
  return { kind: 'Array', elements: p.endList(elements), span: p.spanFrom(start) };
}

/** Object : '{' (Entry (',' Entry)* ','?)? '}' ;  Entry : (NAME | STRING) (':' Expression)? | NAME ('.' NAME)+ */
function parseObject(p: Cursor): ObjectLiteral {
  const start = p.nextStart();
  const entries = p.startList<ObjectEntry>();
  while (!p.atPunct('}')) {
    const { kind, value: key, start: keyStart, end: keyEnd } = p;
    if (kind !== 'name' && kind !== 'string') p.fail('E004', `expected a key, found ${p.describe()}`);
    p.next();
    if (kind === 'name' && p.atPunct('.')) {
      p.addToList(entries, parseDottedShorthand(p, { kind: 'Identifier', name: key, span: { start: keyStart, end: keyEnd } }));
    } else {
      const value = p.eatPunct(':') ? parseExpression(p) : undefined;
      p.addToList(entries, { key, value, span: p.spanFrom(keyStart) });
    }
    if (!p.eatPunct(',')) break;
  }
  p.expectPunct('}', ' to close the object');
  return { kind: 'Object', entries: p.endList(entries), span: p.spanFrom(start) };
}

/** `{review.security}`: shorthand for `{security: review.security}`. */
function parseDottedShorthand(p: Cursor, first: Identifier): ObjectEntry {
  const start = first.span.start;
  let value: Expression = first;
  let key = first.name;
  while (p.eatPunct('.')) {
    const property = p.expectName('a property name after `.`');
    value = { kind: 'Member', object: value, property, span: p.spanFrom(start) };
    key = property.name;
  }
  return { key, value, span: p.spanFrom(start) };
}

/** Arguments : '(' (Argument (',' Argument)* ','?)? ')' ;  Argument : (NAME ':')? Expression */
export function parseArguments(p: Cursor): Argument[] {
  p.expectPunct('(');
  const args = p.startList<Argument>();
  while (!p.atPunct(')')) {
    const start = p.start;
    const named = p.at('name') && p.peekIs(1, 'punct', ':');
    const name = named ? p.expectName('an argument name') : undefined;
    if (named) p.next();
    const value = parseExpression(p);
    p.addToList(args, { name, value, span: p.spanFrom(start) });
    if (!p.eatPunct(',')) break;
  }
  p.expectPunct(')', ' to close the arguments');
  return p.endList(args);
}
