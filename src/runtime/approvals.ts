import { RunStop } from './errors.js';
import type { Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import type { GateAnswer, GateRequest, Recorded } from './ports.js';
import { Attempt, beforeStep, replay, type StepSpec } from './steps.js';
import { Tagged, type Value } from './values.js';

/** What a human is asked, and what happens when no one can answer. */
export interface ApprovalAsk {
  key: string;
  request: GateRequest;
  spec: StepSpec;
  /** The answer when the run must not wait (autonomous mode); undefined: wait for approval. */
  unattended: GateAnswer | undefined;
  /**
   * How an autonomous run with no unattended answer stops while the question waits in the ledger
   * (default: waiting for approval, exit 4). `task` names the waiting task.
   */
  unattendedStop?: (task: string) => RunStop;
}

export function gateValue(answer: GateAnswer): Value {
  return new Tagged('gate', answer.answer, { answer: answer.answer, option: answer.answer, feedback: answer.feedback, by: answer.by });
}

/** The option that means no: "No", else the second option. */
export function noOption(options: readonly string[]): string {
  return options.find((o) => /^(no|reject|refuse|stop)$/i.test(o)) ?? options[1] ?? 'No';
}

/**
 * An answer recorded in the ledger after the run stopped for it (`choiros approve|reject`, the
 * web dashboard): approve picks the named option (`--option Modify`) or the first, reject the
 * option that means no.
 */
export function decided(recorded: Recorded | undefined, request: GateRequest): GateAnswer | undefined {
  if (recorded?.status !== 'approved' && recorded?.status !== 'rejected') return undefined;
  const detail = (recorded.value ?? {}) as { feedback?: unknown; approver?: unknown; option?: unknown };
  const picked = typeof detail.option === 'string' ? request.options.find((o) => o.toLowerCase() === String(detail.option).toLowerCase()) : undefined;
  const answer = picked ?? (recorded.status === 'approved' ? (request.options[0] ?? 'Yes') : noOption(request.options));
  return { answer, feedback: typeof detail.feedback === 'string' ? detail.feedback : '', by: typeof detail.approver === 'string' ? detail.approver : 'ledger' };
}

/**
 * A human's answer to a question the run cannot go on without: a gate, a change to the checks,
 * the same failure again. It is taken from the ledger when someone answered while the run was
 * stopped (and finishes the task that waited), else asked (a terminal), else the unattended
 * answer; with none the task waits for approval and the run stops (exit 4) until
 * `choiros approve|reject` and `prose resume`.
 */
export async function approval(it: Interpreter, frame: Frame, ask: ApprovalAsk): Promise<{ value: Value; answer: GateAnswer }> {
  const { rc } = it;
  const { journal } = rc.ports;
  beforeStep(rc, frame);
  const replayed = replay(rc, ask.key, ask.spec);
  if (replayed instanceof Tagged) return { value: replayed, answer: { answer: String(replayed.primary), feedback: String(replayed.fields.feedback ?? ''), by: String(replayed.fields.by ?? '') } };
  const recorded = journal.recorded(ask.key);
  const waiting = recorded?.taskId === undefined ? undefined : journal.reopen?.(ask.key);
  const answer = decided(recorded, ask.request) ?? (rc.autonomous ? ask.unattended : await rc.ports.gates.ask(ask.request, frame.signal));
  const attempt = new Attempt(rc, frame, ask.key, ask.spec, 1, waiting);
  if (answer === undefined) {
    await attempt.awaitApproval();
    const task = String(attempt.record.taskId ?? ask.key);
    rc.stopping ??= rc.autonomous && ask.unattendedStop !== undefined ? ask.unattendedStop(task) : new RunStop('awaiting_approval', `${ask.spec.task} is waiting for approval (task ${task})`);
    throw rc.stopping;
  }
  const value = gateValue(answer);
  const state = answer.answer === noOption(ask.request.options) ? 'rejected' : 'approved';
  await attempt.succeed(value, `${answer.answer}${answer.by === 'default' ? ' (default)' : ''}`, { meta: { answer: answer.answer, by: answer.by }, approval: { state, approver: answer.by, feedback: answer.feedback } });
  return { value, answer };
}
