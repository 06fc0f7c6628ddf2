import type { ActivitySample, Answer, Journal, Recorded, StepDetail, StepRecord, StepStart } from './ports.js';

export interface JournalTask extends StepStart {
  id: number;
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'awaiting_approval';
  reason: string | null;
  value: unknown;
  meta: Record<string, unknown>;
  detail: StepDetail;
  lines: string[];
  activity: ActivitySample[];
  retries: Array<{ attempt: number; delayMs: number; error: string }>;
}

/**
 * A journal in memory: what dry runs use (nothing is recorded), and what tests read to see
 * exactly which tasks a run wrote. Seeded with another journal's record (`replaying`), it plays
 * the part of the ledger of an interrupted run, the way `prose resume` will.
 */
export class MemoryJournal implements Journal {
  readonly tasks: JournalTask[] = [];
  readonly judgements: Array<{ site: string; iteration: number; question: string; answer: Answer }> = [];
  readonly stages: Array<{ name: string; status: string }> = [];
  readonly checkpoints: Array<{ name: string; commit: string; verdict: string }> = [];
  readonly rollbacks: Array<{ target: string; undo: string | null }> = [];
  readonly inputs: Array<{ site: string; name: string; value: unknown }> = [];
  readonly deviations: Array<{ kind: string; stage: string | null; detail: string }> = [];
  private readonly earlier = new Map<string, Recorded>();
  private readonly attempts = new Map<string, number>();
  private readonly earlierJudgements = new Map<string, Answer>();
  private readonly earlierInputs = new Map<string, unknown>();
  private readonly reopened = new Map<number, JournalTask>();
  /** Task ids go on from the journal this one replays, as ledger row ids do. */
  private nextId = 1;

  /**
   * A journal that replays what `previous` recorded as done; `answers` are what humans said to
   * its waiting gates meanwhile (by task id), as `choiros approve|reject` records them.
   */
  static replaying(previous: MemoryJournal, answers: ReadonlyMap<number, { state: 'approved' | 'rejected'; feedback?: string; option?: string }> = new Map()): MemoryJournal {
    const journal = new MemoryJournal();
    journal.nextId = previous.nextId;
    for (const task of previous.tasks) {
      journal.attempts.set(task.step, (journal.attempts.get(task.step) ?? 0) + 1);
      const answer = answers.get(task.id);
      if (task.status === 'succeeded') journal.earlier.set(task.step, { status: 'succeeded', value: task.value, taskId: task.id });
      else if (task.status === 'failed' && task.value !== undefined) journal.earlier.set(task.step, { status: 'failed', value: task.value, taskId: task.id });
      else if (task.status === 'awaiting_approval') {
        journal.earlier.set(task.step, answer === undefined ? { status: 'awaiting_approval', value: null, taskId: task.id } : { status: answer.state, value: { feedback: answer.feedback ?? null, approver: 'test', option: answer.option ?? null }, taskId: task.id });
        journal.reopened.set(task.id, task);
      } else journal.earlier.delete(task.step);
    }
    for (const j of previous.judgements) journal.earlierJudgements.set(`${j.site}@${j.iteration}`, j.answer);
    for (const i of previous.inputs) journal.earlierInputs.set(i.site, i.value);
    return journal;
  }

  recorded(step: string): Recorded | undefined {
    return this.earlier.get(step);
  }

  priorAttempts(step: string): number {
    return this.attempts.get(step) ?? 0;
  }

  reopen(step: string): StepRecord | undefined {
    const id = this.earlier.get(step)?.taskId;
    const task = id === undefined ? undefined : this.reopened.get(id);
    if (task === undefined) return undefined;
    this.tasks.push(task);
    return this.recordOf(task, true);
  }

  recordedInput(site: string): unknown {
    return this.earlierInputs.get(site);
  }

  input(entry: { site: string; name: string; value: unknown }): void {
    this.inputs.push(entry);
  }

  deviation(entry: { kind: string; stage: string | null; detail: string }): void {
    this.deviations.push(entry);
  }

  recordedJudgement(site: string, iteration: number): Answer | undefined {
    return this.earlierJudgements.get(`${site}@${iteration}`);
  }

  start(step: StepStart): StepRecord {
    const task: JournalTask = { ...step, id: this.nextId++, status: 'running', reason: null, value: undefined, meta: {}, detail: {}, lines: [], activity: [], retries: [] };
    this.tasks.push(task);
    return this.recordOf(task, false);
  }

  private recordOf(task: JournalTask, waiting: boolean): StepRecord {
    return {
      taskId: task.id,
      output: (lines) => void task.lines.push(...lines),
      activity: (sample) => void task.activity.push(sample),
      retry: (attempt, delayMs, error) => void task.retries.push({ attempt, delayMs, error }),
      succeed: (value, detail = {}) => {
        const { meta = {}, ...rest } = detail;
        Object.assign(task, { status: 'succeeded', value, meta, detail: rest });
      },
      fail: (reason, detail = {}) => {
        const { status = 'failed', value, ...rest } = detail;
        Object.assign(task, { status, reason, detail: rest, ...(value === undefined ? {} : { value }) });
      },
      awaitApproval: () => void (waiting ? undefined : (task.status = 'awaiting_approval')),
    };
  }

  judgement(entry: { site: string; iteration: number; question: string; answer: Answer }): void {
    this.judgements.push(entry);
  }

  stage(name: string, status: string): void {
    this.stages.push({ name, status });
  }

  checkpoint(entry: { name: string; commit: string; verdict: string }): void {
    this.checkpoints.push(entry);
  }

  rollback(entry: { target: string; undo: string | null }): void {
    this.rollbacks.push(entry);
  }
}
