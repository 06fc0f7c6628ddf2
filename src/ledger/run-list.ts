/**
 * The run list (`choiros runs --by-run`): runs newest first, a keyset page at a time, each with
 * its task counts and the time it was going. Read-only queries next to the Ledger class.
 */
import type { Ledger } from './ledger.js';
import type { Run, RunStatus, TaskStatus } from './model.js';
import { decodeCursor, encodeCursor, type Page } from './pages.js';
import { toRun, type RunRow } from './rows.js';
import { clockEvent, elapsed, newClock, tickClock, type ClockEvent, type RunClock } from '../play/clock.js';

export interface RunFilter {
  status?: RunStatus;
  /** Only runs started at or after this ISO time. */
  since?: string;
}

export type TaskCounts = Record<TaskStatus, number> & { total: number };

export interface RunSummary {
  run: Run;
  tasks: TaskCounts;
  /**
   * How long the run was going: start to end, less the time it stood stopped (waiting for
   * approval, paused, at a limit) before a resume — what the play dashboard's Elapsed says, from
   * the same fold (play/clock.ts).
   * Up to `now` for a run still going.
   */
  activeMs: number;
}

function noTasks(): TaskCounts {
  return { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, awaiting_approval: 0, skipped: 0 };
}

// One run at a time, so each reads the run's own stretch of the (run_id, seq) index.
const CLOCK_SQL = "SELECT time, type, json_extract(data, '$.status') AS status FROM events WHERE run_id = ? AND type IN ('run.started', 'run.resumed', 'run.finished') ORDER BY seq";

const COUNTS_SQL = 'SELECT run_id AS run, status, count(*) AS n FROM tasks WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id, status';

/** Each run's clock, folded as the play tracker folds it from the same events. */
function clocks(ledger: Ledger, runs: readonly Run[]): Map<string, RunClock> {
  const statement = ledger.db.prepare(CLOCK_SQL);
  return new Map(runs.map((run) => [run.id, runClock(run, statement.all(run.id) as ClockRow[])]));
}

/** A clock event as the run list selects it. */
export type ClockRow = { time: string; type: ClockEvent['type']; status: string | null };

/** A run with no clock events (recorded before events) counts from its start to its end. */
export function runClock(run: Pick<Run, 'startedAt' | 'finishedAt'>, rows: readonly ClockRow[]): RunClock {
  const clock = newClock();
  const fallback: ClockRow[] = [{ time: run.startedAt, type: 'run.started', status: null }, ...(run.finishedAt === null ? [] : [{ time: run.finishedAt, type: 'run.finished' as const, status: null }])];
  for (const row of rows.length > 0 ? rows : fallback) tickClock(clock, clockEvent(row.type, row.status), Date.parse(row.time));
  return clock;
}

function taskCounts(ledger: Ledger, ids: readonly string[]): Map<string, TaskCounts> {
  const rows = ledger.db.prepare(COUNTS_SQL).all(JSON.stringify(ids)) as { run: string; status: TaskStatus; n: number }[];
  const counts = new Map<string, TaskCounts>();
  for (const row of rows) {
    const c = counts.get(row.run) ?? noTasks();
    if (row.status in c) c[row.status] += row.n;
    c.total += row.n;
    counts.set(row.run, c);
  }
  return counts;
}

/** Runs newest first, keyset-paginated on (started_at, id) as `GET /runs` is. */
export function pageRunSummaries(ledger: Ledger, filter: RunFilter, limit: number, cursor: string | undefined, now: number): Page<RunSummary> {
  const conditions: [string, string | undefined][] = [
    ['status = ?', filter.status],
    ['started_at >= ?', filter.since],
  ];
  const where = conditions.filter(([, v]) => v !== undefined).map(([sql]) => sql);
  const params: string[] = conditions.flatMap(([, v]) => (v === undefined ? [] : [v]));
  if (cursor !== undefined) {
    const key = decodeCursor(cursor);
    where.push('(started_at, id) < (?, ?)');
    params.push(key.startedAt, String(key.id));
  }
  const sql = `SELECT * FROM runs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
  const rows = ledger.db.prepare(sql).all(...params, limit + 1) as RunRow[];
  const runs = rows.slice(0, limit).map(toRun);
  const ids = runs.map((r) => r.id);
  const [runClocks, counts] = [clocks(ledger, runs), taskCounts(ledger, ids)];
  const items = runs.map((run) => ({ run, tasks: counts.get(run.id) ?? noTasks(), activeMs: elapsed(runClocks.get(run.id) ?? runClock(run, []), now) }));
  const last = runs.at(-1);
  return { items, next_cursor: rows.length > limit && last !== undefined ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
}
