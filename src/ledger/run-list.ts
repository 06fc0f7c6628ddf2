/**
 * The run list (`choiros runs --by-run`): runs newest first, a keyset page at a time, each with
 * its task counts and the time it was going. Read-only queries next to the Ledger class.
 */
import type { Ledger } from './ledger.js';
import type { Run, RunStatus, TaskStatus } from './model.js';
import { decodeCursor, encodeCursor, type Page } from './pages.js';
import { toRun, type RunRow } from './rows.js';

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
   * approval, paused, at a limit) before a resume — what the play dashboard's Elapsed says.
   * Up to `now` for a run still going.
   */
  activeMs: number;
}

function noTasks(): TaskCounts {
  return { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, awaiting_approval: 0, skipped: 0 };
}

/** A run's clock marks: it went on at `run.started` / `run.resumed` (or a `run.finished` saying running), off at any other `run.finished`. */
export interface ClockMark {
  at: number;
  going: boolean;
}

/** The time between each mark that set the clock going and the next that stopped it (or `now`). */
export function activeTime(marks: readonly ClockMark[], now: number): number {
  let total = 0;
  let since: number | null = null;
  for (const mark of marks) {
    if (mark.going && since === null) since = mark.at;
    else if (!mark.going && since !== null) {
      total += Math.max(0, mark.at - since);
      since = null;
    }
  }
  return since === null ? total : total + Math.max(0, now - since);
}

// One run at a time, so each reads the run's own stretch of the (run_id, seq) index.
const CLOCK_SQL = "SELECT time, type, json_extract(data, '$.status') AS status FROM events WHERE run_id = ? AND type IN ('run.started', 'run.resumed', 'run.finished') ORDER BY seq";

const COUNTS_SQL = 'SELECT run_id AS run, status, count(*) AS n FROM tasks WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id, status';

function clockMarks(ledger: Ledger, ids: readonly string[]): Map<string, ClockMark[]> {
  const statement = ledger.db.prepare(CLOCK_SQL);
  const marks = new Map<string, ClockMark[]>();
  for (const id of ids) {
    const rows = statement.all(id) as { time: string; type: string; status: string | null }[];
    marks.set(id, rows.map((row) => ({ at: Date.parse(row.time), going: row.type !== 'run.finished' || row.status === 'running' })));
  }
  return marks;
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

/**
 * Runs newest first, keyset-paginated on (started_at, id) as `GET /runs` is. A run with no clock
 * marks (recorded before events) counts from its start to its end.
 */
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
  const [marks, counts] = [clockMarks(ledger, ids), taskCounts(ledger, ids)];
  const items = runs.map((run) => {
    const own = marks.get(run.id) ?? [];
    const fallback = [{ at: Date.parse(run.startedAt), going: true }, ...(run.finishedAt === null ? [] : [{ at: Date.parse(run.finishedAt), going: false }])];
    return { run, tasks: counts.get(run.id) ?? noTasks(), activeMs: activeTime(own.length > 0 ? own : fallback, now) };
  });
  const last = runs.at(-1);
  return { items, next_cursor: rows.length > limit && last !== undefined ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
}
