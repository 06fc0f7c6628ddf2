import { RunStop } from './errors.js';
import { findOption, noOption } from './gate-options.js';
import type { Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import type { GateAnswer, GateRequest, Recorded, StepRecord } from './ports.js';
import { Attempt, beforeStep, cancelled, replay, type StepSpec } from './steps.js';
import { Tagged, type Value } from './values.js';

export { noOption } from './gate-options.js';

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

/**
 * An answer recorded in the ledger after the run stopped for it (`choiros approve|reject`, the
 * web dashboard): approve picks the named option (`--option Modify`) or the first, reject the
 * option that means no.
 */
export function decided(recorded: Recorded | undefined, request: GateRequest): GateAnswer | undefined {
  if (recorded?.status !== 'approved' && recorded?.status !== 'rejected') return undefined;
  const detail = (recorded.value ?? {}) as { feedback?: unknown; approver?: unknown; option?: unknown };
  const picked = typeof detail.option === 'string' ? findOption(request.options, detail.option) : undefined;
  const answer = picked ?? (recorded.status === 'approved' ? (request.options[0] ?? 'Yes') : noOption(request.options));
  return { answer, feedback: typeof detail.feedback === 'string' ? detail.feedback : '', by: typeof detail.approver === 'string' ? detail.approver : 'someone' };
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
  const earlier = decided(recorded, ask.request);
  if (earlier === undefined && !rc.autonomous && rc.ports.gates.live === true && journal.answered !== undefined) return askWhileWaiting(it, frame, ask, waiting);
  const answer = earlier ?? (rc.autonomous ? ask.unattended : await rc.ports.gates.ask(ask.request, frame.signal));
  const attempt = new Attempt(rc, frame, ask.key, ask.spec, 1, waiting);
  if (answer === undefined) {
    await attempt.awaitApproval();
    const task = String(attempt.record.taskId ?? ask.key);
    rc.stopping ??= rc.autonomous && ask.unattendedStop !== undefined ? ask.unattendedStop(task) : new RunStop('awaiting_approval', `${ask.spec.task} is waiting for approval (task ${task})`);
    throw rc.stopping;
  }
  return finishGate(attempt, ask, answer, `${answer.answer}${answer.by === 'default' ? ' (default)' : ''}`);
}

function stateOf(answer: GateAnswer, request: GateRequest): 'approved' | 'rejected' {
  return answer.answer === noOption(request.options) ? 'rejected' : 'approved';
}

async function finishGate(attempt: Attempt, ask: ApprovalAsk, answer: GateAnswer, summary: string): Promise<{ value: Value; answer: GateAnswer }> {
  const value = gateValue(answer);
  await attempt.succeed(value, summary, { meta: { answer: answer.answer, by: answer.by }, approval: { state: stateOf(answer, ask.request), approver: answer.by, feedback: answer.feedback } });
  return { value, answer };
}

/** How often a gate asked at a terminal looks in the ledger for an answer given elsewhere. */
export const ANSWER_POLL_MS = 250;

/** Resolves with an answer recorded in the ledger for the task, or undefined once `signal` aborts. */
async function answeredInLedger(it: Interpreter, taskId: number, request: GateRequest, signal: AbortSignal): Promise<GateAnswer | undefined> {
  const { journal, clock } = it.rc.ports;
  while (!signal.aborted) {
    const answer = decided(journal.answered?.(taskId), request);
    if (answer !== undefined) return answer;
    await clock.sleep(ANSWER_POLL_MS, signal);
  }
  return undefined;
}

type Side = { from: 'terminal' | 'ledger'; answer: GateAnswer | undefined };

/** The first answer, typed at the terminal or found in the ledger; the other side is withdrawn. */
async function firstAnswer(it: Interpreter, frame: Frame, request: GateRequest, taskId: number | null): Promise<Side> {
  const withdraw = new AbortController();
  const onAbort = () => withdraw.abort();
  frame.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const sides: Promise<Side>[] = [it.rc.ports.gates.ask(request, withdraw.signal).then((answer) => ({ from: 'terminal', answer }))];
    if (taskId !== null) sides.push(answeredInLedger(it, taskId, request, withdraw.signal).then((answer) => ({ from: 'ledger', answer })));
    return await Promise.race(sides);
  } finally {
    withdraw.abort();
    frame.signal.removeEventListener('abort', onAbort);
  }
}

/** An answer typed at the terminal, recorded through the ledger, where one given elsewhere a moment earlier stands. */
function claim(it: Interpreter, taskId: number, typed: GateAnswer, request: GateRequest): GateAnswer {
  const recorded = it.rc.ports.journal.answer?.(taskId, { state: stateOf(typed, request), approver: typed.by, feedback: typed.feedback, option: typed.answer });
  return decided(recorded, request) ?? typed;
}

/**
 * A gate asked at a terminal: the task is recorded waiting for approval first, so every view
 * shows the run waiting and an answer given elsewhere (the web dashboard, `choiros approve`)
 * counts too. The first answer wins; a prompt that gives up (a timeout without a default) with
 * no answer elsewhere leaves the run waiting, as without a terminal.
 */
async function askWhileWaiting(it: Interpreter, frame: Frame, ask: ApprovalAsk, reopened: StepRecord | undefined): Promise<{ value: Value; answer: GateAnswer }> {
  const { rc } = it;
  const attempt = new Attempt(rc, frame, ask.key, ask.spec, 1, reopened);
  attempt.markWaiting();
  const taskId = attempt.record.taskId;
  const first = await firstAnswer(it, frame, ask.request, taskId);
  if (frame.signal.aborted) {
    await attempt.fail('cancelled');
    throw cancelled(frame.signal);
  }
  const typed = first.from === 'terminal' ? first.answer : undefined;
  const answer = typed !== undefined && taskId !== null ? claim(it, taskId, typed, ask.request) : (first.answer ?? (taskId === null ? undefined : decided(rc.ports.journal.answered?.(taskId), ask.request)));
  if (answer === undefined) {
    await attempt.awaitApproval();
    rc.stopping ??= new RunStop('awaiting_approval', `${ask.spec.task} is waiting for approval (task ${String(taskId ?? ask.key)})`);
    throw rc.stopping;
  }
  const elsewhere = typed === undefined || answer.by !== typed.by || answer.answer !== typed.answer;
  const summary = elsewhere ? `${answer.answer} (answered by ${answer.by} outside this terminal)` : `${answer.answer}${answer.by === 'default' ? ' (default)' : ''}`;
  return finishGate(attempt, ask, answer, summary);
}
