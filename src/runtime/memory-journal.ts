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
  private readonly earlier = new Map<string, Recorded>();
  private readonly earlierJudgements = new Map<string, Answer>();

  /** A journal that replays what `previous` recorded as done. */
  static replaying(previous: MemoryJournal): MemoryJournal {
    const journal = new MemoryJournal();
    for (const task of previous.tasks) {
      if (task.status === 'succeeded') journal.earlier.set(task.step, { status: 'succeeded', value: task.value });
      else journal.earlier.delete(task.step);
    }
    for (const j of previous.judgements) journal.earlierJudgements.set(`${j.site}@${j.iteration}`, j.answer);
    return journal;
  }

  recorded(step: string): Recorded | undefined {
    return this.earlier.get(step);
  }

  recordedJudgement(site: string, iteration: number): Answer | undefined {
    return this.earlierJudgements.get(`${site}@${iteration}`);
  }

  start(step: StepStart): StepRecord {
    const task: JournalTask = { ...step, id: this.tasks.length + 1, status: 'running', reason: null, value: undefined, meta: {}, detail: {}, lines: [], activity: [], retries: [] };
    this.tasks.push(task);
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
        const { status = 'failed', ...rest } = detail;
        Object.assign(task, { status, reason, detail: rest });
      },
      awaitApproval: () => void (task.status = 'awaiting_approval'),
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
