import { LedgerError, type Ledger, type TaskPatch } from '../ledger/ledger.js';
import type { LedgerEvent, StoredEvent, Task, TaskStatus } from '../ledger/model.js';
import type { ActivitySample, Answer, Journal, Recorded, StepDetail, StepRecord, StepStart } from './ports.js';
import { adminAfter } from '../ledger/play-queries.js';
import { scanOverrides, type OverrideScan } from './overrides.js';
import { NO_REDACTION, type Redact } from './redact.js';
import type { StepKind } from './events.js';

export interface LedgerJournalOptions {
  /** Replaces secret values in everything written. */
  secrets?: Redact;
  /** Every event written, as stored (for the webhook notifier). */
  onStored?: (event: StoredEvent) => void;
  /** When a process started (clock ticks since boot), so an orphan is told from a pid reused later. */
  processStart?: (pid: number) => number | undefined;
}

/** Steps shorter than this are recorded without waiting for the disk (see `start`). */
const QUICK_STEP_MS = 1000;

/**
 * Steps whose end is flushed at once however quick: redoing them after a power cut would ask a
 * human again (a gate) or leave a second tag or undo handle behind (a checkpoint, a rollback).
 */
const ALWAYS_FLUSHED: ReadonlySet<StepKind> = new Set(['gate', 'checkpoint', 'rollback']);

function recordedOf(task: Task, options: ReadonlyMap<number, string>): Recorded | undefined {
  const outputs = task.outputs as { value?: unknown } | null;
  if (task.status === 'succeeded') return { status: 'succeeded', value: outputs?.value ?? null, taskId: task.id };
  // A failed task with a value ran to its end (a failing verification); one without (an agent's error, an interruption) runs again.
  if (task.status === 'failed' && outputs !== null && typeof outputs === 'object' && 'value' in outputs) return { status: 'failed', value: outputs.value ?? null, taskId: task.id };
  if (task.status !== 'awaiting_approval') return undefined;
  if (task.approvalState === 'approved' || task.approvalState === 'rejected') {
    return { status: task.approvalState, value: { feedback: task.feedback, approver: task.approver, option: options.get(task.id) ?? null }, taskId: task.id };
  }
  return { status: 'awaiting_approval', value: null, taskId: task.id };
}

function answerOf(text: string): Answer {
  return text === 'true' ? true : text === 'false' ? false : text;
}

/**
 * The journal on the ledger: one task row per session, exec, verify, gate, checkpoint and
 * rollback attempt, written (status running) before the effect and finished with the value
 * (`outputs: {value, …}`) after it; events for output batches, activity, retries, judgements,
 * stages, checkpoints and rollbacks. Opened on a run that already has tasks, it replays them:
 * the latest attempt of each step that succeeded, every judgement and typed input by their
 * keys, and a gate still waiting (or answered since) by its own task.
 */
export class LedgerJournal implements Journal {
  private readonly earlier = new Map<string, Recorded>();
  private readonly attempts = new Map<string, number>();
  private readonly earlierJudgements = new Map<string, Answer>();
  private readonly earlierInputs = new Map<string, unknown>();
  /** Stages an earlier interpretation finished: replaying them writes no stage events again. */
  private finishedStages: ReadonlySet<string> = new Set();
  /** What admin overrides say (stages to pass over, what a reset dropped). */
  private overrideScan: OverrideScan | undefined;
  /** Tasks still waiting (a gate, a queued step), by stage: a stage passed over or run again skips them. */
  private readonly waiting = new Map<string, number[]>();
  private readonly secrets: Redact;
  private lastSeq: number;

  constructor(
    private readonly ledger: Ledger,
    readonly runId: string,
    private readonly options: LedgerJournalOptions = {},
  ) {
    this.secrets = options.secrets ?? NO_REDACTION;
    this.lastSeq = this.read();
  }

  /** Reads the run's record: what is replayed, and what admin overrides changed. Returns the last seq. */
  private read(): number {
    const { ledger, runId } = this;
    const events = ledger.events({ runId });
    const scan = scanOverrides(events);
    const chosen = new Map<number, string>();
    for (const map of [this.earlier, this.attempts, this.earlierJudgements, this.earlierInputs, this.waiting]) map.clear();
    for (const { event } of events) {
      if (event.type === 'judgement') this.earlierJudgements.set(`${event.site}@${event.iteration}`, answerOf(event.answer));
      else if (event.type === 'input') this.earlierInputs.set(event.site, event.value);
      else if (event.type === 'task.approval' && typeof event.option === 'string') chosen.set(event.taskId, event.option);
    }
    for (const key of scan.droppedJudgements) this.earlierJudgements.delete(key);
    for (const task of ledger.tasksOfRun(runId)) {
      if ((task.status === 'awaiting_approval' || task.status === 'queued') && task.stage !== null) this.waiting.set(task.stage, [...(this.waiting.get(task.stage) ?? []), task.id]);
      if (task.step === null) continue;
      this.attempts.set(task.step, (this.attempts.get(task.step) ?? 0) + 1);
      const recorded = scan.droppedTasks.has(task.id) ? undefined : recordedOf(task, chosen);
      if (recorded === undefined) this.earlier.delete(task.step);
      else this.earlier.set(task.step, recorded);
    }
    this.finishedStages = scan.succeeded;
    this.overrideScan = scan;
    return events.at(-1)?.seq ?? 0;
  }

  /** Stages an admin advance passes over: the runner does not run them. */
  passedOver(): ReadonlySet<string> {
    return this.overrideScan?.passedOver ?? new Set();
  }

  /** Whether an admin override was recorded since the run was last read (asked at each phase boundary: a primary-key range scan). */
  overridden(): boolean {
    return adminAfter(this.ledger, this.runId, this.overrideScan?.lastAdminSeq ?? 0);
  }

  /** Reads the run again after an override: the runner interprets the program again from the top. */
  reload(): void {
    this.read();
  }

  /** Records a stage an advance passes over as skipped, and skips what still waited in it. */
  passOver(stage: string): void {
    this.skipWaiting(stage, 'advanced');
    if (this.overrideScan?.skipped.has(stage) === true) return;
    this.ledger.append(this.runId, { type: 'stage.finished', stage, status: 'skipped' });
    this.overrideScan?.skipped.add(stage);
    this.publish();
  }

  private skipWaiting(stage: string, reason: string, only?: ReadonlySet<number>): void {
    const ids = (this.waiting.get(stage) ?? []).filter((id) => only === undefined || only.has(id));
    for (const id of ids) {
      const task = this.ledger.findTask(id);
      if (task?.status === 'awaiting_approval' || task?.status === 'queued') this.ledger.transition(id, 'skipped', { reason });
    }
    this.waiting.set(stage, (this.waiting.get(stage) ?? []).filter((id) => !ids.includes(id)));
    if (ids.length > 0) this.publish();
  }

  recorded(step: string): Recorded | undefined {
    return this.earlier.get(step);
  }

  priorAttempts(step: string): number {
    return this.attempts.get(step) ?? 0;
  }

  recordedJudgement(site: string, iteration: number): Answer | undefined {
    return this.earlierJudgements.get(`${site}@${iteration}`);
  }

  recordedInput(site: string): unknown {
    return this.earlierInputs.get(site);
  }

  start(step: StepStart): StepRecord {
    const { secrets, ledger, runId } = this;
    const task = ledger.unsynced(() =>
      ledger.transaction(() => ledger.createTask({ task: secrets.redact(step.task), runId, status: 'running', stage: step.stage, step: step.step, attempt: step.attempt, agent: step.agent, inputs: secrets.redactDeep(step.inputs) })),
    );
    this.publish();
    return this.recordFor(task.id, step.kind, false);
  }

  /** The task of a gate that waited for approval in an earlier interpretation: finished, not created again. */
  reopen(step: string): StepRecord | undefined {
    const recorded = this.earlier.get(step);
    if (recorded?.taskId === undefined || recorded.status === 'succeeded' || recorded.status === 'failed') return undefined;
    return this.recordFor(recorded.taskId, 'gate', true);
  }

  answered(taskId: number): Recorded | undefined {
    const task = this.ledger.findTask(taskId);
    if (task === undefined) return undefined;
    const options = new Map<number, string>();
    if (task.approvalState === 'approved' || task.approvalState === 'rejected') {
      const option = this.ledger.db.prepare("SELECT json_extract(data, '$.option') AS option FROM events WHERE run_id = ? AND task_id = ? AND type = 'task.approval' ORDER BY seq DESC LIMIT 1").get(task.runId, taskId) as { option: unknown } | undefined;
      if (typeof option?.option === 'string') options.set(taskId, option.option);
    }
    return recordedOf(task, options);
  }

  answer(taskId: number, answer: { state: 'approved' | 'rejected'; approver: string; feedback: string; option: string }): Recorded | undefined {
    const { secrets } = this;
    try {
      this.ledger.answerApproval(taskId, { state: answer.state, approver: secrets.redact(answer.approver), feedback: answer.feedback === '' ? null : secrets.redact(answer.feedback), option: answer.option });
    } catch (error) {
      // Answered elsewhere a moment before: that answer stands.
      if (!(error instanceof LedgerError)) throw error;
    }
    this.publish();
    return this.answered(taskId);
  }

  private recordFor(id: number, kind: StepKind, waiting: boolean): StepRecord {
    const { secrets, ledger } = this;
    const started = Date.now();
    const move = (to: TaskStatus, patch: TaskPatch) => {
      // A step that was quick to do is quick to redo: its end needs no disk flush of its own (the
      // next flush covers it, and a killed process loses nothing); a longer one is flushed at once.
      if (Date.now() - started < QUICK_STEP_MS && !ALWAYS_FLUSHED.has(kind)) ledger.unsynced(() => ledger.transition(id, to, patch));
      else ledger.transition(id, to, patch);
      this.publish();
    };
    return {
      taskId: id,
      output: (lines) => this.append({ type: 'agent.output', taskId: id, lines: lines.map((l) => secrets.redact(l)) }, id),
      activity: (sample: ActivitySample) => this.append({ type: 'activity', taskId: id, ...sample }, id),
      retry: (attempt, delayMs, error) => this.append({ type: 'task.retry', taskId: id, attempt, delayMs, error: secrets.redact(error) }, id),
      spawned: (pid) => this.append({ type: 'task.process', taskId: id, pid, startTicks: this.options.processStart?.(pid) ?? null }, id),
      succeed: (value, detail = {}) => move('succeeded', { outputs: secrets.redactDeep({ value, ...(detail.meta ?? {}) }), ...this.patchOf(detail) }),
      fail: (reason, detail = {}) => move(detail.status ?? 'failed', { reason: secrets.redact(reason), ...(detail.value === undefined ? {} : { outputs: secrets.redactDeep({ value: detail.value }) }), ...this.patchOf(detail) }),
      // A gate that already waits keeps waiting on the same task: nothing to move.
      awaitApproval: () => (waiting ? undefined : move('awaiting_approval', { approvalState: 'pending' })),
    };
  }

  private patchOf(detail: StepDetail): TaskPatch {
    const { logExcerpt, outputsUri, approval } = detail;
    return {
      ...(logExcerpt === undefined ? {} : { logExcerpt: this.secrets.redact(logExcerpt) }),
      ...(outputsUri === undefined ? {} : { outputsUri }),
      ...(approval === undefined ? {} : { approvalState: approval.state, approver: this.secrets.redact(approval.approver), feedback: approval.feedback === '' ? null : this.secrets.redact(approval.feedback) }),
    };
  }

  judgement(entry: { site: string; iteration: number; question: string; answer: Answer }): void {
    this.append({ type: 'judgement', site: entry.site, iteration: entry.iteration, question: this.secrets.redact(entry.question), answer: String(entry.answer) });
  }

  input(entry: { site: string; name: string; value: unknown }): void {
    // A person's answer: flushed at once, so it is never asked for twice.
    this.ledger.append(this.runId, { type: 'input', site: entry.site, name: entry.name, value: this.secrets.redactDeep(entry.value) });
    this.publish();
  }

  deviation(entry: { kind: string; stage: string | null; detail: string }): void {
    this.append({ type: 'deviation', kind: entry.kind, stage: entry.stage, detail: this.secrets.redact(entry.detail) });
  }

  stage(name: string, status: 'started' | 'succeeded' | 'failed' | 'skipped'): void {
    if (this.finishedStages.has(name)) return;
    // Run again after a reset: a gate that waited in the earlier run of the stage no longer does.
    if (status === 'started' && this.overrideScan !== undefined) this.skipWaiting(name, 'reset', this.overrideScan.droppedTasks);
    this.append(status === 'started' ? { type: 'stage.started', stage: name } : { type: 'stage.finished', stage: name, status });
  }

  checkpoint(entry: { name: string; commit: string; verdict: string }): void {
    this.append({ type: 'checkpoint', ...entry });
  }

  rollback(entry: { target: string; undo: string | null }): void {
    this.append({ type: 'rollback', target: entry.target, undo: entry.undo ?? '' });
  }

  /** Events before and around steps; a step's end (a task transition) is what makes them durable. */
  private append(event: LedgerEvent, taskId: number | null = null): void {
    this.ledger.unsynced(() => this.ledger.append(this.runId, event, taskId));
    this.publish();
  }

  /** Hands every event of the run written since the last call to `onStored` (the runner's own writes included). */
  publish(): void {
    const listener = this.options.onStored;
    if (listener === undefined) return;
    for (const stored of this.ledger.events({ runId: this.runId, afterSeq: this.lastSeq })) {
      // A listener that writes (the tracker recording a deviation) publishes from inside this loop: what it handed on is not handed on twice.
      if (stored.seq <= this.lastSeq) continue;
      this.lastSeq = stored.seq;
      listener(stored);
    }
  }
}
