/**
 * Read-only queries for the play tracker, dashboards and metrics. Additions next to the Ledger
 * class: they read its tables and change nothing.
 */
import { CLOCK_EVENT_TYPES, clockEvent, goingTime, newClock, tickClock, type ClockEvent, type RunClock } from '../play/clock.js';
import type { PlaySource } from '../play/feed.js';
import type { StageHistory } from '../play/model.js';
import { LedgerError, type Ledger } from './ledger.js';
import type { Run, StoredEvent } from './model.js';
import { toEvent, toRun, type EventRow, type RunRow } from './rows.js';

/** How many earlier runs of a program feed a stage's median. */
export const HISTORY_RUNS = 20;

export function latestRun(ledger: Ledger): Run | undefined {
  return ledger.pageRuns(1).items[0];
}

/** Whether an admin override (`choiros play advance|reset`) was recorded for the run after `seq`. */
export function adminAfter(ledger: Ledger, runId: string, seq: number): boolean {
  return ledger.db.prepare("SELECT 1 FROM events WHERE run_id = ? AND seq > ? AND type = 'admin' LIMIT 1").get(runId, seq) !== undefined;
}

/** Whether an admin override was recorded after the run last finished: a succeeded run reset (or advanced) since has more to do. */
export function overriddenSinceFinish(ledger: Ledger, runId: string): boolean {
  const row = ledger.db.prepare("SELECT max(seq) AS seq FROM events WHERE run_id = ? AND type = 'run.finished'").get(runId) as { seq: number | null };
  return adminAfter(ledger, runId, row.seq ?? 0);
}

/** The run a command is about: the one named, else the latest; a clear error when there is none. */
export function resolveRun(ledger: Ledger, runId: string | undefined): Run {
  if (runId !== undefined) return ledger.run(runId);
  const latest = latestRun(ledger);
  if (latest === undefined) throw new LedgerError('not_found', 'There are no runs in the ledger yet.');
  return latest;
}

/**
 * Durations of each stage (succeeded only) in the last HISTORY_RUNS runs of `program` that
 * started before `before`: from stage.started to stage.finished events, oldest first — on the
 * run's clock, so the time a run stood stopped inside a stage (waiting for an approval, paused,
 * at a limit) does not count: a stage that waited a night for a yes is not a slow stage.
 */
export function stageHistory(ledger: Ledger, program: string, before: string, runs = HISTORY_RUNS): StageHistory {
  const rows = ledger.db
    .prepare(
      `SELECT e.run_id AS run, e.type AS type, e.time AS time, json_extract(e.data, '$.stage') AS stage, json_extract(e.data, '$.status') AS status
       FROM (SELECT id, started_at FROM runs WHERE program = ? AND started_at < ? ORDER BY started_at DESC LIMIT ?) r
       JOIN events e ON e.run_id = r.id
       WHERE e.type IN ('stage.started', 'stage.finished', 'run.started', 'run.resumed', 'run.finished')
       ORDER BY r.started_at, e.seq`,
    )
    .all(program, before, runs) as { run: string; type: string; time: string; stage: string | null; status: string | null }[];
  const clocks = new Map<string, RunClock>();
  const started = new Map<string, number>();
  const history = new Map<string, number[]>();
  for (const row of rows) {
    const at = Date.parse(row.time);
    const clock = clocks.get(row.run) ?? newClock();
    clocks.set(row.run, clock);
    if (CLOCK_EVENT_TYPES.has(row.type)) tickClock(clock, clockEvent(row.type as ClockEvent['type'], row.status), at);
    else if (row.stage === null) continue;
    else if (row.type === 'stage.started') started.set(`${row.run}\u0000${row.stage}`, at);
    else {
      const key = `${row.run}\u0000${row.stage}`;
      const from = started.get(key);
      if (from === undefined || row.status !== 'succeeded') continue;
      history.set(row.stage, [...(history.get(row.stage) ?? []), goingTime(clock, from, at)]);
      started.delete(key);
    }
  }
  return history;
}

export function ledgerPlaySource(ledger: Ledger): PlaySource {
  return {
    run: (id) => ledger.run(id),
    events: (runId, afterSeq) => ledger.events({ runId, afterSeq }),
    stageHistory: (program, before) => stageHistory(ledger, program, before),
  };
}

/** Runs that have not ended (running or paused), newest first. */
export function activeRuns(ledger: Ledger): Run[] {
  return (ledger.db.prepare("SELECT * FROM runs WHERE status IN ('running', 'paused') ORDER BY started_at DESC, id DESC").all() as RunRow[]).map(toRun);
}

/** The newest event of a type on a stream (a run id, or the `health` stream). */
export function lastEvent(ledger: Ledger, runId: string, type: string): StoredEvent | undefined {
  const row = ledger.db.prepare('SELECT * FROM events WHERE run_id = ? AND type = ? ORDER BY seq DESC LIMIT 1').get(runId, type) as EventRow | undefined;
  return row === undefined ? undefined : toEvent(row);
}
