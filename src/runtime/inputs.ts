import type { Expression, Input, PropertyBlock } from '../prose/index.js';
import { discretionText } from './conditions.js';
import { ProseError } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { fromJson, toPlain, toText, type Value } from './values.js';

/** Text of a prompt-like property: a string, a discretion block, or any value read as text. */
export async function promptText(it: Interpreter, node: Expression | PropertyBlock, frame: Frame): Promise<string> {
  if (node.kind === 'PropertyBlock') return '';
  if (node.kind === 'Discretion') return discretionText(node, frame);
  return toText(await it.expression(node, frame));
}

/**
 * `input NAME: "prompt"`. A given value (run argument, call argument) or the `default:` is bound;
 * a top-level input left out stays unbound — a phase that never reads it does not need it, and
 * one that does fails with a clear message (the CLI checks this before the run starts). An input
 * in the middle of the program (in a phase or a block, or at the top level after something has
 * run) is asked when the run reaches it; the answer is journaled, so `prose resume` replays it.
 */
export async function runInput(it: Interpreter, node: Input, frame: Frame): Promise<Value> {
  const name = node.name.name;
  const given = frame.given.get(name);
  if (given !== undefined) {
    frame.env.declare(name, given);
    return given;
  }
  const fallback = node.properties.find((p) => p.name.name === 'default');
  if (fallback !== undefined && fallback.value.kind !== 'PropertyBlock') {
    const value = await it.expression(fallback.value, frame);
    frame.env.declare(name, value);
    return value;
  }
  // A called program's inputs come from its call; the main program's leading inputs were asked before the run.
  if (frame.env === frame.globals && (frame.depth > 0 || !it.rc.askWhenReached.has(name))) return null;
  const { journal } = it.rc.ports;
  const key = keyOf(frame, node.span);
  const typed = journal.recordedInput?.(key);
  if (typed !== undefined) {
    const value = fromJson(typed);
    frame.env.declare(name, value);
    return value;
  }
  const prompt = node.prompt === undefined ? name : await promptText(it, node.prompt, frame);
  const answer = await it.rc.ports.inputs.ask(name, prompt, frame.signal);
  if (answer === undefined) throw new ProseError('input', `input \`${name}\` was not given: pass ${name}=VALUE to prose run`, site(frame, node.span));
  journal.input?.({ site: key, name, value: toPlain(answer) });
  frame.env.declare(name, answer);
  return answer;
}
