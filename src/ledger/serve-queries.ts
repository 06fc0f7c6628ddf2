/**
 * Read-only queries for `choiros serve` (additions next to the Ledger class: they read its tables
 * and change nothing): the tail of the event stream, and what the web dashboard shows of a run
 * without folding every line an agent printed.
 */
import type { Ledger } from './ledger.js';
import type { StoredEvent, Task } from './model.js';
import { toEvent, toTask, type EventRow, type TaskRow } from './rows.js';

/** The newest sequence number (0 for an empty ledger): where a live tail starts. */
export function lastSeq(ledger: Ledger): number {
  return (ledger.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
}

/**
 * Changes whenever another connection (another process: a run, `choiros approve`) commits: a
 * cheap way to tell whether the events table may have grown without reading it.
 */
export function dataVersion(ledger: Ledger): number {
  return ledger.db.pragma('data_version', { simple: true }) as number;
}

/** The run's last `limit` events that people read (agent output and activity samples left out), oldest first. */
export function recentHistory(ledger: Ledger, runId: string, limit: number): StoredEvent[] {
  const rows = ledger.db
    .prepare("SELECT * FROM events WHERE run_id = ? AND type NOT IN ('agent.output', 'activity') ORDER BY seq DESC LIMIT ?")
    .all(runId, limit) as EventRow[];
  return rows.reverse().map(toEvent);
}

/** The last line each task of the run printed. */
export function lastOutputLines(ledger: Ledger, runId: string): Map<number, string> {
  const rows = ledger.db
    .prepare("SELECT task_id AS task, json_extract(data, '$.lines[#-1]') AS line FROM events WHERE seq IN (SELECT max(seq) FROM events WHERE run_id = ? AND type = 'agent.output' GROUP BY task_id)")
    .all(runId) as { task: number | null; line: string | null }[];
  const lines = new Map<number, string>();
  for (const row of rows) if (row.task !== null && row.line !== null) lines.set(row.task, row.line);
  return lines;
}

/** The run's newest `limit` tasks, oldest first. */
export function recentTasks(ledger: Ledger, runId: string, limit: number): Task[] {
  const rows = ledger.db.prepare('SELECT * FROM tasks WHERE run_id = ? ORDER BY id DESC LIMIT ?').all(runId, limit) as TaskRow[];
  return rows.reverse().map(toTask);
}
