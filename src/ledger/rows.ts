import type { LedgerEvent, Run, StoredEvent, Task } from './model.js';

/** Raw rows as SQLite returns them, and their conversion to the model. */

export interface RunRow {
  id: string;
  program: string;
  program_hash: string;
  args: string;
  mode: string | null;
  status: string;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  pid: number | null;
  control: string | null;
  origin: string;
}

export interface TaskRow {
  id: number;
  task: string;
  run_id: string;
  status: string;
  reason: string | null;
  stage: string | null;
  step: string | null;
  attempt: number;
  agent: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  inputs: string | null;
  outputs: string | null;
  outputs_uri: string | null;
  log_excerpt: string | null;
  approval_state: string | null;
  approver: string | null;
  feedback: string | null;
  webhook_notified_at: string | null;
}

export interface EventRow {
  seq: number;
  run_id: string;
  task_id: number | null;
  time: string;
  type: string;
  data: string;
}

function json(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    program: row.program,
    programHash: row.program_hash,
    args: (json(row.args) ?? {}) as Record<string, unknown>,
    mode: row.mode,
    status: row.status as Run['status'],
    reason: row.reason,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    pid: row.pid,
    control: row.control as Run['control'],
    origin: row.origin === 'external' ? 'external' : 'choiros',
  };
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    task: row.task,
    runId: row.run_id,
    status: row.status as Task['status'],
    reason: row.reason,
    stage: row.stage,
    step: row.step,
    attempt: row.attempt,
    agent: row.agent,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    inputs: json(row.inputs),
    outputs: json(row.outputs),
    outputsUri: row.outputs_uri,
    logExcerpt: row.log_excerpt,
    approvalState: row.approval_state as Task['approvalState'],
    approver: row.approver,
    feedback: row.feedback,
    webhookNotifiedAt: row.webhook_notified_at,
  };
}

export function toEvent(row: EventRow): StoredEvent {
  return { seq: row.seq, runId: row.run_id, taskId: row.task_id, time: row.time, event: { type: row.type, ...(json(row.data) as object) } as LedgerEvent };
}

/** The JSON stored for a value: undefined stays NULL. */
export function stored(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
