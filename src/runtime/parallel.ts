import type { Argument, Parallel, ParallelFor, Statement } from '../prose/index.js';
import { Env } from './env.js';
import { ProseError } from './errors.js';
import { child, keyOf, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { DEFAULT_POLICY, join, type Joined, type JoinPolicy } from './join.js';
import { items } from './loops.js';
import { branchFrame, position } from './step-key.js';
import { toText, type Value } from './values.js';

/** `("any", on-fail: "continue", count: 2, max: 3)` */
export async function readPolicy(it: Interpreter, modifiers: readonly Argument[], frame: Frame): Promise<JoinPolicy> {
  const policy = { ...DEFAULT_POLICY };
  for (const modifier of modifiers) {
    const value = await it.expression(modifier.value, frame);
    const name = modifier.name?.name;
    if (name === undefined) {
      const strategy = toText(value);
      if (strategy !== 'all' && strategy !== 'first' && strategy !== 'any') throw new ProseError('type', `unknown parallel strategy "${strategy}"`, site(frame, modifier.span));
      policy.strategy = strategy;
    } else if (name === 'on-fail') {
      const onFail = toText(value);
      if (onFail !== 'fail-fast' && onFail !== 'continue' && onFail !== 'ignore') throw new ProseError('type', `unknown on-fail policy "${onFail}"`, site(frame, modifier.span));
      policy.onFail = onFail;
    } else if (name === 'count' || name === 'max') {
      const n = Number(toText(value));
      if (!Number.isInteger(n) || n <= 0) throw new ProseError('type', `\`${name}\` must be a positive whole number`, site(frame, modifier.span));
      policy[name] = n;
    }
  }
  return policy;
}

function valueOf(joined: Joined, index: number): Value {
  const outcome = joined.outcomes[index];
  return outcome?.ok === true ? outcome.value : null;
}

/**
 * `parallel:` — each statement a branch; `name = …` branches are bound after the join. The value
 * is an object of the named branches (null for a branch that lost or failed under "ignore"), or,
 * without names, the list of branch values in program order (only the winners for "any"); for
 * "first", the winner's value.
 */
export async function runParallel(it: Interpreter, node: Parallel, frame: Frame): Promise<Value> {
  const policy = await readPolicy(it, node.modifiers, frame);
  const branches = node.body.statements;
  const at = position(frame.unit.source, node.span);
  const run = (index: number, signal: AbortSignal) => {
    const statement = branches[index] as Statement;
    const branch = child(frame, { env: new Env(frame.env, 'block'), prefix: frame.prefix + branchFrame(at, index), signal });
    return statement.kind === 'Assign' ? it.value(statement.value, branch) : it.statement(statement, branch);
  };
  const joined = await join(it.rc, frame, keyOf(frame, node.span), branches.length, run, policy);
  const named: Record<string, Value> = {};
  branches.forEach((statement, index) => {
    if (statement.kind !== 'Assign') return;
    named[statement.target.name] = valueOf(joined, index);
    frame.env.assign(statement.target.name, named[statement.target.name] ?? null);
  });
  if (policy.strategy === 'first') return joined.winners[0] === undefined ? null : valueOf(joined, joined.winners[0]);
  if (Object.keys(named).length > 0) return named;
  return collect(joined, policy);
}

function collect(joined: Joined, policy: JoinPolicy): Value[] {
  if (policy.strategy === 'all') return joined.outcomes.map((_, index) => valueOf(joined, index));
  return [...joined.winners].sort((a, b) => a - b).map((index) => valueOf(joined, index));
}

/** `parallel for x[, i] in XS:` — one branch per item, the values in item order. */
export async function runParallelFor(it: Interpreter, node: ParallelFor, frame: Frame): Promise<Value> {
  const policy = await readPolicy(it, node.modifiers, frame);
  const list = await items(it, node.iterable, frame);
  const at = position(frame.unit.source, node.span);
  const run = (index: number, signal: AbortSignal) => {
    const env = new Env(frame.env, 'block');
    env.declare(node.item.name, list[index] ?? null);
    if (node.index !== undefined) env.declare(node.index.name, index);
    return it.returning(node.body, child(frame, { env, prefix: frame.prefix + branchFrame(at, index), signal, iteration: index }));
  };
  const joined = await join(it.rc, frame, keyOf(frame, node.span), list.length, run, policy);
  if (policy.strategy === 'first') return joined.winners[0] === undefined ? null : valueOf(joined, joined.winners[0]);
  return collect(joined, policy);
}
