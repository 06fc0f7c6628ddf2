import type { Argument, Expression, ObjectEntry, StringLiteral } from './ast.js';
import { assertNever } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

export function isPlainName(text: string): boolean {
  return NAME.test(text);
}

/** Binding strength, loosest first; an operand weaker than its context gets parentheses. */
export const Precedence = {
  sequence: 1,
  /** Actions (`session …`, `verify …`) stand alone or as a sequence step, never bare inside an operator. */
  step: 2,
  or: 3,
  and: 4,
  not: 5,
  comparison: 6,
  additive: 7,
  multiplicative: 8,
  unary: 9,
  postfix: 10,
  primary: 11,
} as const;

const BINARY: Record<string, number> = {
  or: Precedence.or,
  and: Precedence.and,
  '+': Precedence.additive,
  '-': Precedence.additive,
  '*': Precedence.multiplicative,
  '/': Precedence.multiplicative,
  '%': Precedence.multiplicative,
};

export function precedenceOf(expression: Expression): number {
  switch (expression.kind) {
    case 'Sequence':
      return Precedence.sequence;
    case 'Binary':
      return BINARY[expression.operator] ?? Precedence.comparison;
    case 'Unary':
      return expression.operator === 'not' ? Precedence.not : Precedence.unary;
    case 'Member':
    case 'Index':
    case 'Call':
      return Precedence.postfix;
    case 'Session':
    case 'Resume':
    case 'DoBlock':
    case 'DoCall':
    case 'Parallel':
    case 'ParallelFor':
    case 'Pipeline':
    case 'Exec':
    case 'Verify':
    case 'Checkpoint':
    case 'Gate':
      return Precedence.step;
    default:
      return Precedence.primary;
  }
}

/** `"…"` with the four escapes; `"""…"""` exactly as written, since it is raw. */
export function printString(literal: Pick<StringLiteral, 'value' | 'triple'>): string {
  if (literal.triple) return `"""${literal.value}"""`;
  return `"${literal.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** The operand of `session`, `exec` or `checkpoint`: an action there reads greedily, so it needs no parentheses. */
function actionOperand(expression: Expression): string {
  const strength = precedenceOf(expression);
  return strength === Precedence.step && expression.kind !== 'Pipeline' ? printExpression(expression) : operand(expression, Precedence.additive);
}

function operand(expression: Expression, minimum: number): string {
  const text = printExpression(expression);
  return precedenceOf(expression) < minimum ? `(${text})` : text;
}

function printEntry(entry: ObjectEntry): string {
  const { key, value } = entry;
  if (value?.kind === 'Member' && value.property.name === key && isDottedPath(value)) return printExpression(value);
  return (isPlainName(key) ? key : printString({ value: key, triple: false })) + (value === undefined ? '' : `: ${printExpression(value)}`);
}

function isDottedPath(expression: Expression): boolean {
  return expression.kind === 'Identifier' || (expression.kind === 'Member' && isDottedPath(expression.object));
}

export function printArguments(args: readonly Argument[]): string {
  return `(${args.map((arg) => (arg.name === undefined ? '' : `${arg.name.name}: `) + printExpression(arg.value)).join(', ')})`;
}

/** An expression on one line (the parts of actions that carry blocks are printed by the printer). */
export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'Identifier':
      return expression.name;
    case 'String':
      return printString(expression);
    case 'Discretion':
      return expression.triple ? `***${expression.text}***` : `**${expression.text}**`;
    case 'Number':
      return expression.raw;
    case 'Boolean':
      return String(expression.value);
    case 'Null':
      return 'null';
    case 'Array':
      return `[${expression.elements.map((e) => printExpression(e)).join(', ')}]`;
    case 'Object':
      return `{${expression.entries.map(printEntry).join(', ')}}`;
    case 'Binary': {
      const strength = precedenceOf(expression);
      return `${operand(expression.left, strength)} ${expression.operator} ${operand(expression.right, strength + 1)}`;
    }
    case 'Unary':
      // `not (a == b)` reads better than the equivalent `not a == b`.
      return expression.operator === 'not' ? `not ${operand(expression.operand, Precedence.additive)}` : `-${operand(expression.operand, Precedence.unary)}`;
    case 'Member':
      return `${operand(expression.object, Precedence.postfix)}.${expression.property.name}`;
    case 'Index':
      return `${operand(expression.object, Precedence.postfix)}[${printExpression(expression.index)}]`;
    case 'Call':
      return `${expression.callee.name}${printArguments(expression.args)}`;
    case 'Sequence':
      return expression.steps.map((step) => operand(step, Precedence.step)).join(' -> ');
    default:
      return printActionHead(expression);
  }
}

/** The first line of an action; its properties or body follow on indented lines. */
export function printActionHead(expression: Expression): string {
  switch (expression.kind) {
    case 'Session': {
      if (expression.label !== undefined && expression.agent !== undefined) return `session ${expression.label.name}: ${expression.agent.name}`;
      if (expression.agent !== undefined) return `session: ${expression.agent.name}`;
      return expression.prompt === undefined ? 'session' : `session ${actionOperand(expression.prompt)}`;
    }
    case 'Resume':
      return `resume: ${expression.agent.name}`;
    case 'DoBlock':
      return 'do:';
    case 'DoCall':
      return `do ${expression.name.name}${expression.args.length > 0 ? printArguments(expression.args) : ''}`;
    case 'Parallel':
      return `parallel${expression.modifiers.length > 0 ? ` ${printArguments(expression.modifiers)}` : ''}:`;
    case 'ParallelFor': {
      const modifiers = expression.modifiers.length > 0 ? ` ${printArguments(expression.modifiers)}` : '';
      const index = expression.index === undefined ? '' : `, ${expression.index.name}`;
      return `parallel${modifiers} for ${expression.item.name}${index} in ${printExpression(expression.iterable)}:`;
    }
    case 'Exec':
      return `exec ${actionOperand(expression.command)}`;
    case 'Verify':
      return ['verify', expression.gates.map((g) => (isPlainName(g.name) ? g.name : printString({ value: g.name, triple: false }))).join(', ')].filter((s) => s !== '').join(' ');
    case 'Checkpoint':
      return ['checkpoint', expression.good ? 'good' : '', expression.message === undefined ? '' : actionOperand(expression.message)].filter((s) => s !== '').join(' ');
    case 'Gate':
      return `gate ${expression.name.name}:`;
    case 'Pipeline':
      return printExpression(expression.source);
    case 'Identifier':
    case 'String':
    case 'Discretion':
    case 'Number':
    case 'Boolean':
    case 'Null':
    case 'Array':
    case 'Object':
    case 'Binary':
    case 'Unary':
    case 'Member':
    case 'Index':
    case 'Call':
    case 'Sequence':
      return printExpression(expression);
    default:
      return assertNever(expression, 'expression');
  }
}
