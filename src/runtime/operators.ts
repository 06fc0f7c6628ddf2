import type { BinaryOperator } from '../prose/index.js';
import { isArray, isObject, memberOf, Tagged, toText, typeName, valuesEqual, type Value } from './values.js';

/** Thrown for a type error; the interpreter adds the position. */
export class OperandError extends Error {}

function comparable(value: Value): number | string {
  const v = value instanceof Tagged ? value.primary : value;
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new OperandError(`cannot order ${typeName(value)}`);
}

function numeric(operator: string, value: Value): number {
  const v = value instanceof Tagged ? value.primary : value;
  if (typeof v === 'number') return v;
  // Inputs and agent answers arrive as text: "3" counts as 3 in arithmetic.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new OperandError(`\`${operator}\` needs numbers, not ${typeName(value)}`);
}

function contains(container: Value, item: Value): boolean {
  if (isArray(container)) return container.some((element) => valuesEqual(element, item));
  if (typeof container === 'string') return container.includes(toText(item));
  if (container instanceof Tagged) return contains(container.primary, item);
  if (isObject(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw new OperandError(`\`in\` needs a list, a text or an object, not ${typeName(container)}`);
}

function order(a: Value, b: Value): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x !== typeof y) {
    // "10" < 9 from an input: compare as numbers when both read as numbers.
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    throw new OperandError(`cannot compare ${typeName(a)} with ${typeName(b)}`);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function plus(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (isArray(a) && isArray(b)) return [...a, ...b];
  if (typeof a === 'string' || typeof b === 'string' || a instanceof Tagged || b instanceof Tagged) return toText(a) + toText(b);
  if (isObject(a) && isObject(b)) return { ...a, ...b };
  return numeric('+', a) + numeric('+', b);
}

/** Every binary operator except `and` / `or`, which the interpreter short-circuits. */
export function binary(operator: Exclude<BinaryOperator, 'and' | 'or'>, a: Value, b: Value): Value {
  switch (operator) {
    case '==':
    case 'is':
      return valuesEqual(a, b);
    case '!=':
    case 'is not':
      return !valuesEqual(a, b);
    case '<':
      return order(a, b) < 0;
    case '<=':
      return order(a, b) <= 0;
    case '>':
      return order(a, b) > 0;
    case '>=':
      return order(a, b) >= 0;
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    case '+':
      return plus(a, b);
    case '-':
      return numeric('-', a) - numeric('-', b);
    case '*':
      return numeric('*', a) * numeric('*', b);
    case '/': {
      const divisor = numeric('/', b);
      if (divisor === 0) throw new OperandError('division by zero');
      return numeric('/', a) / divisor;
    }
    case '%': {
      const divisor = numeric('%', b);
      if (divisor === 0) throw new OperandError('division by zero');
      return numeric('%', a) % divisor;
    }
  }
}

/** `object.name`: absent keys read as null; reading a key of null or of a number is an error. */
export function member(object: Value, name: string): Value {
  const found = memberOf(object, name);
  if (found !== undefined) return found;
  if (object === null || typeof object === 'number' || typeof object === 'boolean') throw new OperandError(`cannot read \`.${name}\` of ${typeName(object)}`);
  return null;
}

/** `xs[i]` (negative counts from the end), `object["key"]`, `text[i]`; out of range reads as null. */
export function index(object: Value, key: Value): Value {
  if (isArray(object) || typeof object === 'string') {
    const n = typeof key === 'number' ? key : Number(toText(key));
    if (!Number.isInteger(n)) throw new OperandError(`an index must be a whole number, not ${typeName(key)}`);
    const at = n < 0 ? object.length + n : n;
    return (isArray(object) ? object[at] : object[at]) ?? null;
  }
  if (isObject(object) || object instanceof Tagged) return memberOf(object, toText(key)) ?? null;
  throw new OperandError(`cannot index ${typeName(object)}`);
}
