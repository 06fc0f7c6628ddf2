import type { Ledger, TaskPatch } from '../ledger/ledger.js';
import type { LedgerEvent, StoredEvent, Task, TaskStatus } from '../ledger/model.js';
import type { ActivitySample, Answer, Journal, Recorded, StepRecord, StepStart } from './ports.js';
import { NO_REDACTION, type Redact } from './redact.js';

export interface LedgerJournalOptions {
  /** Replaces secret values in everything written. */
  secrets?: Redact;
  /** Every event written, as stored (for the webhook notifier). */
  onStored?: (event: StoredEvent) => void;
}

/** Steps shorter than this are recorded without waiting for the disk (see `start`). */
const QUICK_STEP_MS = 1000;

function recordedOf(task: Task): Recorded | undefined {
  if (task.status === 'succeeded') return { status: 'succeeded', value: (task.outputs as { value?: unknown } | null)?.value ?? null };
  if (task.status === 'awaiting_approval' && (task.approvalState === 'approved' || task.approvalState === 'rejected')) {
    return { status: task.approvalState, value: { feedback: task.feedback, approver: task.approver } };
  }
  return undefined;
}

function answerOf(text: string): Answer {
  return text === 'true' ? true : text === 'false' ? false : text;
}

/**
 * The journal on the ledger: one task row per session, exec, verify, gate, checkpoint and
 * rollback attempt, written (status running) before the effect and finished with the value
 * (`outputs: {value, …}`) after it; events for output batches, activity, retries, judgements,
 * stages, checkpoints and rollbacks. Opened on a run that already has tasks, it replays them:
 * the latest attempt of each step that succeeded, and every judgement, by their keys.
 */
export class LedgerJournal implements Journal {
  private readonly earlier = new Map<string, Recorded>();
  private readonly earlierJudgements = new Map<string, Answer>();
  private readonly secrets: Redact;
  private lastSeq: number;

  constructor(
    private readonly ledger: Ledger,
    readonly runId: string,
    private readonly options: LedgerJournalOptions = {},
  ) {
    this.secrets = options.secrets ?? NO_REDACTION;
    for (const task of ledger.tasksOfRun(runId)) {
      if (task.step === null) continue;
      const recorded = recordedOf(task);
      if (recorded === undefined) this.earlier.delete(task.step);
      else this.earlier.set(task.step, recorded);
    }
    const events = ledger.events({ runId });
    for (const { event } of events) if (event.type === 'judgement') this.earlierJudgements.set(`${event.site}@${event.iteration}`, answerOf(event.answer));
    this.lastSeq = events.at(-1)?.seq ?? 0;
  }

  recorded(step: string): Recorded | undefined {
    return this.earlier.get(step);
  }

  recordedJudgement(site: string, iteration: number): Answer | undefined {
    return this.earlierJudgements.get(`${site}@${iteration}`);
  }

  start(step: StepStart): StepRecord {
    const { secrets, ledger, runId } = this;
    const task = ledger.unsynced(() =>
      ledger.transaction(() => ledger.createTask({ task: secrets.redact(step.task), runId, status: 'running', stage: step.stage, step: step.step, attempt: step.attempt, agent: step.agent, inputs: secrets.redactDeep(step.inputs) })),
    );
    this.publish();
    const id = task.id;
    const started = Date.now();
    const move = (to: TaskStatus, patch: TaskPatch) => {
      // A step that was quick to do is quick to redo: its end needs no disk flush of its own (the
      // next flush covers it, and a killed process loses nothing); a longer one is flushed at once.
      if (Date.now() - started < QUICK_STEP_MS) ledger.unsynced(() => ledger.transition(id, to, patch));
      else ledger.transition(id, to, patch);
      this.publish();
    };
    return {
      taskId: id,
      output: (lines) => this.append({ type: 'agent.output', taskId: id, lines: lines.map((l) => secrets.redact(l)) }, id),
      activity: (sample: ActivitySample) => this.append({ type: 'activity', taskId: id, ...sample }, id),
      retry: (attempt, delayMs, error) => this.append({ type: 'task.retry', taskId: id, attempt, delayMs, error: secrets.redact(error) }, id),
      succeed: (value, detail = {}) => {
        const { meta = {}, logExcerpt, outputsUri } = detail;
        move('succeeded', { outputs: secrets.redactDeep({ value, ...meta }), ...(logExcerpt === undefined ? {} : { logExcerpt: secrets.redact(logExcerpt) }), ...(outputsUri === undefined ? {} : { outputsUri }) });
      },
      fail: (reason, detail = {}) => {
        const { status = 'failed', logExcerpt, outputsUri } = detail;
        move(status, { reason: secrets.redact(reason), ...(logExcerpt === undefined ? {} : { logExcerpt: secrets.redact(logExcerpt) }), ...(outputsUri === undefined ? {} : { outputsUri }) });
      },
      awaitApproval: () => move('awaiting_approval', { approvalState: 'pending' }),
    };
  }

  judgement(entry: { site: string; iteration: number; question: string; answer: Answer }): void {
    this.append({ type: 'judgement', site: entry.site, iteration: entry.iteration, question: this.secrets.redact(entry.question), answer: String(entry.answer) });
  }

  stage(name: string, status: 'started' | 'succeeded' | 'failed' | 'skipped'): void {
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
      this.lastSeq = stored.seq;
      listener(stored);
    }
  }
}
