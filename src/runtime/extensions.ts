import type { Checkpoint, Gate, Rollback } from '../prose/index.js';
import { approval } from './approvals.js';
import { ProseError } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import { promptText } from './inputs.js';
import { durationProperty } from './property-values.js';
import type { Interpreter } from './interpreter.js';
import type { GateRequest } from './ports.js';
import { beforeStep, singleStep } from './steps.js';
import { isArray, Tagged, toText, type Value } from './values.js';

/** `checkpoint [good] ["message"]`: a snapshot of the work tree; its value reads as the checkpoint's name. */
export async function runCheckpoint(it: Interpreter, node: Checkpoint, frame: Frame): Promise<Value> {
  const message = node.message === undefined ? undefined : toText(await it.expression(node.message, frame));
  const spec = { kind: 'checkpoint' as const, task: `checkpoint${node.good ? ' good' : ''}`, agent: null, inputs: { message: message ?? null, good: node.good }, detail: message ?? '' };
  return singleStep(it.rc, frame, node.span, spec, async (attempt) => {
    const created = await it.rc.ports.checkpoints.create({ message, good: node.good }, attempt.io.signal);
    it.rc.ports.journal.checkpoint({ name: created.name, commit: created.commit, verdict: created.good ? 'good' : 'unverified' });
    return { value: new Tagged('checkpoint', created.name, { name: created.name, commit: created.commit, good: created.good }), summary: created.name };
  });
}

/** The checkpoint `rollback to X` names: a variable holding one (or its name), else the bare word itself. */
async function rollbackTarget(it: Interpreter, node: Rollback, frame: Frame): Promise<string | undefined> {
  const target = node.target;
  if (target === undefined) return undefined;
  if (target.kind === 'Identifier' && !frame.env.has(target.name)) return target.name;
  const value = await it.expression(target, frame);
  if (value instanceof Tagged && value.tag === 'checkpoint') return toText(value);
  if (typeof value === 'string') return value;
  throw new ProseError('rollback', `rollback to: expected a checkpoint or its name, not ${value instanceof Tagged ? `a ${value.tag} value` : typeof value}`, site(frame, target.span));
}

/** `rollback [to NAME]`: back to NAME, default the last good checkpoint; the state before stays reachable (undo). */
export async function runRollback(it: Interpreter, node: Rollback, frame: Frame): Promise<Value> {
  const target = await rollbackTarget(it, node, frame);
  const spec = { kind: 'rollback' as const, task: `rollback${target === undefined ? '' : ` ${target}`}`, agent: null, inputs: { target: target ?? null }, detail: target ?? 'the last good checkpoint' };
  return singleStep(it.rc, frame, node.span, spec, async (attempt) => {
    // Recorded the moment the files have moved: a second Ctrl-C lets the process exit right after.
    const result = await it.rc.ports.checkpoints.rollback(target, attempt.io.signal, (moved) => it.rc.ports.journal.rollback(moved));
    return { value: new Tagged('rollback', result.target, { target: result.target, undo: result.undo, changed: result.changed }), summary: `to ${result.target} (${result.changed} files)` };
  });
}

async function gateRequest(it: Interpreter, node: Gate, frame: Frame): Promise<GateRequest> {
  const prop = (name: string) => node.properties.find((p) => p.name.name === name)?.value;
  const promptNode = prop('prompt');
  const optionsNode = prop('options');
  const options = optionsNode === undefined || optionsNode.kind === 'PropertyBlock' ? ['Yes', 'No'] : await it.expression(optionsNode, frame);
  const timeout = prop('timeout');
  const timeoutValue = timeout === undefined || timeout.kind === 'PropertyBlock' ? undefined : await it.expression(timeout, frame);
  const fallbackNode = prop('on_timeout') ?? prop('default');
  return {
    name: node.name.name,
    prompt: promptNode === undefined ? `Approve ${node.name.name}?` : await promptText(it, promptNode, frame),
    options: isArray(options) && options.length > 0 ? options.map(toText) : ['Yes', 'No'],
    timeoutMs: durationProperty(timeoutValue, site(frame, timeout === undefined ? node.span : timeout.span)),
    fallback: fallbackNode === undefined ? undefined : await promptText(it, fallbackNode, frame),
  };
}

/**
 * `gate NAME:` — a human's approval. The value reads as the chosen option, with `.feedback`. In
 * autonomous mode, or when no one can answer, the `on_timeout`/`default` answer is used; without
 * one the task waits for approval and the run stops (exit 4) until it is given.
 */
export async function runGate(it: Interpreter, node: Gate, frame: Frame): Promise<Value> {
  beforeStep(it.rc, frame);
  const request = await gateRequest(it, node, frame);
  const spec = { kind: 'gate' as const, task: `gate ${request.name}`, agent: null, inputs: { prompt: request.prompt, options: request.options, fallback: request.fallback ?? null }, detail: request.prompt };
  const unattended = request.fallback === undefined ? undefined : { answer: request.fallback, feedback: '', by: 'default' };
  const { value } = await approval(it, frame, { key: keyOf(frame, node.span), request, spec, unattended });
  return value;
}
