import type { Block, Expression, For, Identifier, Loop, Repeat } from '../prose/index.js';
import { condition } from './conditions.js';
import { Env } from './env.js';
import { ProseError } from './errors.js';
import { child, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { iterationFrame, position } from './step-key.js';
import { fromJson, isArray, isObject, typeName, type Value } from './values.js';

/** One iteration: a scope of its own with the loop's names bound, and its place in step keys. */
export function iterate(it: Interpreter, body: Block, frame: Frame, at: string, index: number, names: ReadonlyArray<readonly [Identifier | undefined, Value]>): Promise<Value> {
  const env = new Env(frame.env, 'block');
  for (const [name, value] of names) if (name !== undefined) env.declare(name.name, value);
  return it.block(body, child(frame, { env, prefix: frame.prefix + iterationFrame(at, index), iteration: index }));
}

/** A whole number from a count or `max:` expression. */
export async function wholeNumber(it: Interpreter, node: Expression, frame: Frame, what: string): Promise<number> {
  const value = await it.expression(node, frame);
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ProseError('type', `${what} must be a whole number, not ${typeName(value)}${typeof value === 'string' ? ` "${value}"` : ''}`, site(frame, node.span));
  return n;
}

/** The items of a `for`, a `parallel for` or a pipeline: a list, or an object's values. */
export async function items(it: Interpreter, node: Expression, frame: Frame): Promise<readonly Value[]> {
  return asList(await it.expression(node, frame), node, frame);
}

export function asList(value: Value, node: Expression, frame: Frame): readonly Value[] {
  if (isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  if (typeof value === 'string') {
    // An input or an agent's answer that holds a JSON list (`components='["api","ui"]'`).
    try {
      const parsed = JSON.parse(value) as unknown;
      if (Array.isArray(parsed)) return fromJson(parsed) as Value[];
    } catch {
      // Not JSON: reported below.
    }
  }
  throw new ProseError('type', `expected a list to iterate over, not ${typeName(value)}`, site(frame, node.span));
}

export async function runRepeat(it: Interpreter, node: Repeat, frame: Frame): Promise<Value> {
  const count = await wholeNumber(it, node.count, frame, '`repeat` count');
  const at = position(frame.unit.source, node.span);
  const values: Value[] = [];
  for (let i = 0; i < count; i++) values.push(await iterate(it, node.body, frame, at, i, [[node.index, i]]));
  return values;
}

export async function runFor(it: Interpreter, node: For, frame: Frame): Promise<Value> {
  const list = await items(it, node.iterable, frame);
  const at = position(frame.unit.source, node.span);
  const values: Value[] = [];
  for (let i = 0; i < list.length; i++) values.push(await iterate(it, node.body, frame, at, i, [[node.item, list[i] ?? null], [node.index, i]]));
  return values;
}

/**
 * `loop [until|while COND] [(max: N)] [as i]`: the condition is checked before each iteration
 * (the oracle's default answer — until false, while true — runs it to `max`). Without `max` it
 * stops at the cap (100 by default) with a warning.
 */
export async function runLoop(it: Interpreter, node: Loop, frame: Frame): Promise<Value> {
  const max = node.max === undefined ? undefined : await wholeNumber(it, node.max, frame, 'loop `max`');
  const cap = max ?? it.rc.limits.loopCap;
  const at = position(frame.unit.source, node.span);
  const values: Value[] = [];
  for (let i = 0; ; i++) {
    if (i >= cap) {
      if (max === undefined) it.rc.emit({ type: 'warning', message: `loop stopped after ${cap} iterations (it has no \`max\`)`, at: `${frame.unit.source.path}:${at}` });
      break;
    }
    if (node.condition !== undefined) {
      const holds = await condition(it, node.condition, frame, node.mode === 'while', i);
      if (node.mode === 'until' ? holds : !holds) break;
    }
    values.push(await iterate(it, node.body, frame, at, i, [[node.index, i]]));
  }
  return values;
}
