/**
 * Runs an external orchestrator (a CI job, a nightly script) logs through the task API. choiros
 * did not start them, yet every view should show them as it shows its own (issue 8): their run
 * row is made when their first task is logged, and their status follows their tasks — there is
 * no runner to say when they end.
 */
import type Database from 'better-sqlite3';
import type { Ledger } from './ledger.js';
import type { Run, RunStatus, Task } from './model.js';
import { toTask, type TaskRow } from './rows.js';

/** The program an external run is shown with: it has none that choiros could resume. */
export const EXTERNAL_PROGRAM = 'external';

type TaskFacts = Pick<Task, 'id' | 'task' | 'stage' | 'status' | 'reason'>;

/** The latest attempt of each task (by stage and name), in id order: a retry stands for the attempts before it. */
export function latestAttempts<T extends Pick<Task, 'id' | 'task' | 'stage'>>(tasks: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const task of [...tasks].sort((a, b) => a.id - b.id)) latest.set(`${task.stage ?? ''}\u0000${task.task}`, task);
  return [...latest.values()];
}

/**
 * An external run's status from its tasks: running while one runs (or is queued), waiting for
 * approval while a gate waits, failed when the latest attempt of a task failed, else succeeded.
 */
export function externalStatus(tasks: readonly TaskFacts[]): { status: RunStatus; reason: string | null } {
  const latest = latestAttempts(tasks);
  if (latest.some((t) => t.status === 'running' || t.status === 'queued')) return { status: 'running', reason: null };
  const waiting = latest.find((t) => t.status === 'awaiting_approval');
  if (waiting !== undefined) return { status: 'awaiting_approval', reason: `task ${waiting.id} (${waiting.task}) waits for approval` };
  const failed = latest.find((t) => t.status === 'failed');
  if (failed !== undefined) return { status: 'failed', reason: `task ${failed.id} (${failed.task}) failed${failed.reason === null ? '' : `: ${failed.reason}`}` };
  return { status: 'succeeded', reason: null };
}

/**
 * The latest attempts of a run's tasks that decide its status (those not ended well), grouped in
 * SQLite: an orchestrator may log thousands of tasks under one run, and this runs at every write.
 */
const UNFINISHED_LATEST = `
  SELECT id, task, stage, status, reason FROM tasks
  WHERE id IN (SELECT max(id) FROM tasks WHERE run_id = ? GROUP BY coalesce(stage, ''), task)
    AND status IN ('queued', 'running', 'awaiting_approval', 'failed')
  ORDER BY id`;

export function isExternal(run: Pick<Run, 'origin'>): boolean {
  return run.origin === 'external';
}

/** The run a task is logged under: the one recorded, else a new external run. Call inside the task's transaction. */
export function openExternalRun(ledger: Ledger, runId: string): Run {
  return ledger.findRun(runId) ?? ledger.createRun({ id: runId, program: EXTERNAL_PROGRAM, programHash: '', origin: 'external' });
}

/**
 * Brings an external run's status in line with its tasks after one was logged or changed,
 * recording the change as a `run.finished` event (status `running` when a task was logged after
 * it had ended), so the play tracker and the live page follow it as they follow a runner's.
 */
export function syncExternalRun(ledger: Ledger, runId: string): Run | undefined {
  const run = ledger.findRun(runId);
  if (run === undefined || !isExternal(run)) return run;
  const derived = externalStatus(ledger.db.prepare(UNFINISHED_LATEST).all(runId) as TaskFacts[]);
  if (derived.status === run.status && derived.reason === run.reason) return run;
  return ledger.finishRun(runId, derived.status, derived.reason);
}

/**
 * Migration: runs logged through the task API before runs were recorded for them had tasks and
 * no run row. Each gets one, with `run.started` (and `run.finished` when it ended) dated from its
 * tasks, so the ledger reads as if it had been recorded so from the start.
 */
export function adoptExternalRuns(db: Database.Database): void {
  const ids = (db.prepare('SELECT DISTINCT run_id AS id FROM tasks WHERE run_id NOT IN (SELECT id FROM runs)').all() as { id: string }[]).map((r) => r.id);
  const tasksOf = db.prepare('SELECT * FROM tasks WHERE run_id = ? ORDER BY id');
  const insertRun = db.prepare("INSERT INTO runs (id, program, program_hash, args, mode, status, reason, started_at, finished_at, origin) VALUES (?, ?, '', '{}', NULL, ?, ?, ?, ?, 'external')");
  const insertEvent = db.prepare('INSERT INTO events (run_id, task_id, time, type, data) VALUES (?, NULL, ?, ?, ?)');
  for (const id of ids) {
    const tasks = (tasksOf.all(id) as TaskRow[]).map(toTask);
    const startedAt = tasks.map((t) => t.startedAt).sort()[0] ?? new Date().toISOString();
    const { status, reason } = externalStatus(tasks);
    const finishedAt = status === 'running' ? null : (tasks.map((t) => t.finishedAt ?? t.startedAt).sort().at(-1) ?? startedAt);
    insertRun.run(id, EXTERNAL_PROGRAM, status, reason, startedAt, finishedAt);
    insertEvent.run(id, startedAt, 'run.started', JSON.stringify({ program: EXTERNAL_PROGRAM, args: {}, mode: null, origin: 'external' }));
    if (finishedAt !== null) insertEvent.run(id, finishedAt, 'run.finished', JSON.stringify({ status, reason }));
  }
}
