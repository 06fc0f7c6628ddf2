import type { Checkpoint, Gate, Rollback, Verify } from '../prose/index.js';
import { parseDuration } from '../config/units.js';
import { ProseError, RunStop } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import { promptText } from './inputs.js';
import type { Interpreter } from './interpreter.js';
import type { GateAnswer, GateRequest, Recorded } from './ports.js';
import { Attempt, beforeStep, replay, singleStep } from './steps.js';
import { fromJson, isArray, Tagged, toText, type Value, type ValueObject } from './values.js';

/** `verify [GATE, …]`: the gates' verdict; as a condition it is `.passed`, in a string its digest. */
export function runVerify(it: Interpreter, node: Verify, frame: Frame): Promise<Value> {
  const names = node.gates.map((g) => g.name);
  const spec = { kind: 'verify' as const, task: `verify${names.length === 0 ? '' : ` ${names.join(',')}`}`, agent: null, inputs: { gates: names }, detail: '' };
  return singleStep(it.rc, frame, keyOf(frame, node.span), spec, async (attempt) => {
    const verdict = await it.rc.ports.verify.run(names, { signal: attempt.io.signal, onOutput: attempt.io.onOutput, logName: attempt.logName });
    const passed = verdict.passed === true;
    const digest = typeof verdict.digest === 'string' ? verdict.digest : passed ? 'all gates passed' : 'verification failed';
    const value = new Tagged('verify', passed, fromJson(verdict) as ValueObject, digest);
    return { value, summary: passed ? 'passed' : `failed${typeof verdict.status === 'string' ? ` (${verdict.status})` : ''}` };
  });
}

/** `checkpoint [good] ["message"]`: a snapshot of the work tree; its value reads as the checkpoint's name. */
export async function runCheckpoint(it: Interpreter, node: Checkpoint, frame: Frame): Promise<Value> {
  const message = node.message === undefined ? undefined : toText(await it.expression(node.message, frame));
  const spec = { kind: 'checkpoint' as const, task: `checkpoint${node.good ? ' good' : ''}`, agent: null, inputs: { message: message ?? null, good: node.good }, detail: message ?? '' };
  return singleStep(it.rc, frame, keyOf(frame, node.span), spec, async (attempt) => {
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
  return singleStep(it.rc, frame, keyOf(frame, node.span), spec, async (attempt) => {
    const result = await it.rc.ports.checkpoints.rollback(target, attempt.io.signal);
    it.rc.ports.journal.rollback({ target: result.target, undo: result.undo });
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
    timeoutMs: timeoutValue === undefined || timeoutValue === null ? undefined : parseDuration(typeof timeoutValue === 'number' ? timeoutValue : toText(timeoutValue)),
    fallback: fallbackNode === undefined ? undefined : await promptText(it, fallbackNode, frame),
  };
}

function gateValue(answer: GateAnswer): Value {
  return new Tagged('gate', answer.answer, { answer: answer.answer, option: answer.answer, feedback: answer.feedback, by: answer.by });
}

/** An approval recorded in the ledger after the run stopped for it (`choiros approve|reject`). */
function decided(recorded: Recorded | undefined, request: GateRequest): GateAnswer | undefined {
  if (recorded?.status !== 'approved' && recorded?.status !== 'rejected') return undefined;
  const detail = (recorded.value ?? {}) as { feedback?: unknown; approver?: unknown };
  const no = request.options.find((o) => /^no$/i.test(o)) ?? request.options[1] ?? 'No';
  return { answer: recorded.status === 'approved' ? (request.options[0] ?? 'Yes') : no, feedback: typeof detail.feedback === 'string' ? detail.feedback : '', by: typeof detail.approver === 'string' ? detail.approver : 'ledger' };
}

/**
 * `gate NAME:` — a human's approval. The value reads as the chosen option, with `.feedback`. In
 * autonomous mode, or when no one can answer, the `on_timeout`/`default` answer is used; without
 * one the task waits for approval and the run stops (exit 4) until it is given.
 */
export async function runGate(it: Interpreter, node: Gate, frame: Frame): Promise<Value> {
  const { rc } = it;
  const key = keyOf(frame, node.span);
  beforeStep(rc, frame);
  const request = await gateRequest(it, node, frame);
  const spec = { kind: 'gate' as const, task: `gate ${request.name}`, agent: null, inputs: { prompt: request.prompt, options: request.options, fallback: request.fallback ?? null }, detail: request.prompt };
  const recorded = replay(rc, key, spec);
  if (recorded !== undefined) return recorded;
  const attempt = new Attempt(rc, frame, key, spec, 1);
  const later = decided(rc.ports.journal.recorded(key), request);
  const fallback = request.fallback === undefined ? undefined : { answer: request.fallback, feedback: '', by: 'default' };
  const answer = later ?? (rc.autonomous ? fallback : await rc.ports.gates.ask(request, frame.signal));
  if (answer === undefined) {
    await attempt.awaitApproval();
    rc.stopping ??= new RunStop('awaiting_approval', `gate ${request.name} is waiting for approval (task ${attempt.record.taskId ?? key})`);
    throw rc.stopping;
  }
  const value = gateValue(answer);
  await attempt.succeed(value, `${answer.answer}${answer.by === 'default' ? ' (default)' : ''}`, { meta: { answer: answer.answer, by: answer.by } });
  return value;
}
