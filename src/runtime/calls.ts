import type { Argument, Call, DoBlock, Identifier, Span } from '../prose/index.js';
import { Env } from './env.js';
import { ProseError } from './errors.js';
import { child, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { callFrame, position } from './step-key.js';
import type { Value } from './values.js';

/** Arguments by parameter name: positional ones in declaration order, named ones by name. */
async function bindArguments(it: Interpreter, args: readonly Argument[], params: readonly string[], what: string, frame: Frame): Promise<Map<string, Value>> {
  const bound = new Map<string, Value>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Argument;
    const name = arg.name?.name ?? params[i];
    if (name === undefined || !params.includes(name)) {
      throw new ProseError('call', name === undefined ? `too many arguments: ${what} takes ${params.length}` : `unknown input \`${name}\` for ${what}`, site(frame, arg.span));
    }
    bound.set(name, await it.expression(arg.value, frame));
  }
  return bound;
}

function deeper(it: Interpreter, frame: Frame, span: Span, what: string): number {
  const depth = frame.depth + 1;
  if (depth > it.rc.limits.maxDepth) throw new ProseError('depth', `${what}: calls nested deeper than ${it.rc.limits.maxDepth}`, site(frame, span));
  return depth;
}

/** `do name(args)` or `name(args)` of a block: parameters bound in a scope under the program's top level. */
export async function callBlock(it: Interpreter, name: Identifier, args: readonly Argument[], at: { span: Span }, frame: Frame): Promise<Value> {
  const block = frame.unit.blocks.get(name.name);
  if (block === undefined) throw new ProseError('call', `undefined block \`${name.name}\``, site(frame, name.span));
  const what = `block \`${name.name}\``;
  const params = block.params.map((p) => p.name);
  const bound = await bindArguments(it, args, params, what, frame);
  const env = new Env(frame.globals, 'block');
  for (const param of params) env.declare(param, bound.get(param) ?? null);
  const depth = deeper(it, frame, at.span, what);
  const prefix = frame.prefix + callFrame(position(frame.unit.source, at.span), name.name);
  return it.returning(block.body, child(frame, { env, prefix, depth, caught: undefined }));
}

/**
 * A call of a `use`d program: its inputs from the arguments, its own agents, blocks and scope;
 * every phase runs. The value is an object of its named outputs (a program with only an
 * unnamed `output` gives that value).
 */
export async function callProgram(it: Interpreter, node: Call, frame: Frame): Promise<Value> {
  const name = node.callee.name;
  const unit = frame.unit.programs.get(name);
  if (unit === undefined) throw new ProseError('call', `unknown program \`${name}\`: no block or \`use\` of that name`, site(frame, node.callee.span));
  const what = `program \`${name}\``;
  const given = await bindArguments(it, node.args, unit.inputs, what, frame);
  const depth = deeper(it, frame, node.span, what);
  const globals = new Env(undefined, 'program');
  const outputs = new Map<string, Value>();
  const callee: Frame = {
    ...frame,
    env: globals,
    globals,
    given,
    unit,
    prefix: frame.prefix + callFrame(position(frame.unit.source, node.span), name),
    depth,
    caught: undefined,
    inBlock: false,
    outputs,
  };
  for (const statement of unit.program.statements) await it.statement(statement, callee);
  return outputValue(outputs);
}

export function outputValue(outputs: ReadonlyMap<string, Value>): Value {
  const named = [...outputs].filter(([key]) => key !== '');
  if (named.length > 0) return Object.fromEntries(named);
  return outputs.get('') ?? null;
}

/** `do:` — a sequence in a scope of its own; `output` inside it gives its value. */
export function runDoBlock(it: Interpreter, node: DoBlock, frame: Frame): Promise<Value> {
  return it.returning(node.body, child(frame, { env: new Env(frame.env, 'block') }));
}
