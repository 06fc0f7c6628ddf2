import type { Assert, Block, Choice, If, Throw, Try } from '../prose/index.js';
import { condition, pickOption } from './conditions.js';
import { Env } from './env.js';
import { ProseError } from './errors.js';
import { child, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { toText, type Value } from './values.js';

/** Runs one branch of an if/try/choice: its own scope, whose bindings are visible afterwards. */
async function branch(it: Interpreter, body: Block, frame: Frame, bind?: (env: Env) => void, extra: Partial<Frame> = {}): Promise<Value> {
  const env = new Env(frame.env, 'branch');
  bind?.(env);
  try {
    return await it.block(body, child(frame, { ...extra, env }));
  } finally {
    env.hoistInto(frame.env);
  }
}

export async function runIf(it: Interpreter, node: If, frame: Frame): Promise<Value> {
  for (const clause of node.branches) {
    if (await condition(it, clause.condition, frame, false)) return branch(it, clause.body, frame);
  }
  return node.otherwise === undefined ? null : branch(it, node.otherwise, frame);
}

/**
 * try/catch/finally. Only program errors are caught (a throw, a failed assertion, a session out
 * of retries, a failed command); cancellation, a pause or a gate waiting for approval pass
 * through — `finally` still runs, but its steps stop at the first step boundary.
 */
export async function runTry(it: Interpreter, node: Try, frame: Frame): Promise<Value> {
  try {
    return await branch(it, node.body, frame);
  } catch (error) {
    if (!(error instanceof ProseError) || node.handler === undefined) throw error;
    const name = node.handler.name?.name;
    return await branch(it, node.handler.body, frame, (env) => (name === undefined ? undefined : env.declare(name, error.toValue())), { caught: error });
  } finally {
    if (node.finalizer !== undefined) await branch(it, node.finalizer, frame);
  }
}

export async function runChoice(it: Interpreter, node: Choice, frame: Frame): Promise<Value> {
  const labels: string[] = [];
  for (const option of node.options) labels.push(toText(await it.expression(option.label, frame)));
  const picked = await pickOption(it, node.criteria, labels, frame);
  const option = node.options[Math.max(0, labels.indexOf(picked))];
  return option === undefined ? null : branch(it, option.body, frame);
}

export async function runThrow(it: Interpreter, node: Throw, frame: Frame): Promise<never> {
  if (node.message !== undefined) throw ProseError.fromValue(await it.expression(node.message, frame), site(frame, node.span));
  if (frame.caught !== undefined) throw frame.caught;
  throw new ProseError('throw', 'throw', site(frame, node.span));
}

export async function runAssert(it: Interpreter, node: Assert, frame: Frame): Promise<Value> {
  if (await condition(it, node.condition, frame, true)) return true;
  const message = node.message === undefined ? 'assertion failed' : toText(await it.expression(node.message, frame));
  throw new ProseError('assert', message, site(frame, node.span));
}
