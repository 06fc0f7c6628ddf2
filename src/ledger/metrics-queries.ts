/**
 * Aggregates over the whole ledger for `choiros metrics` (read-only additions next to the Ledger
 * class). Each is one statement; the stage pairs are matched in one pass in order.
 */
import { retriesByAgent } from '../play/run-metrics.js';
import { replay } from '../play/tracker.js';
import type { Ledger } from './ledger.js';
import { toEvent, type EventRow } from './rows.js';

export interface LedgerTotals {
  /** Ended stages: their durations (ms) and outcomes (a stage its run stopped in ended with the run's status). */
  stages: { stage: string; status: string; durationMs: number }[];
  agentRetries: { agent: string; count: number }[];
  runsByStatus: { status: string; count: number }[];
  /** Start to finish of succeeded runs, ms. */
  completions: number[];
  deviations: { kind: string; stage: string; count: number }[];
  remediations: { type: string; count: number }[];
}

/** Runs that ended without finishing the stage they were in: a limit, a failure outside a phase, a cancel, a crash. */
const ENDED_IN_A_STAGE = "('stopped', 'failed', 'cancelled', 'interrupted')";

/**
 * The stages still open when their run ended: they ended with it, in its status (`stopped` at a
 * limit), so a stage that stops runs counts against its success rate. A run waiting for approval
 * or paused has not ended; a resumed one is running again.
 */
function stagesEndedWithRun(ledger: Ledger, open: ReadonlyMap<string, number>): LedgerTotals['stages'] {
  if (open.size === 0) return [];
  const runs = ledger.db.prepare(`SELECT id, status, finished_at AS finished FROM runs WHERE status IN ${ENDED_IN_A_STAGE} AND finished_at IS NOT NULL`).all() as { id: string; status: string; finished: string }[];
  const ended = new Map(runs.map((r) => [r.id, r]));
  const stages: LedgerTotals['stages'] = [];
  for (const [key, from] of open) {
    const [runId = '', stage = ''] = key.split('\u0000');
    const run = ended.get(runId);
    if (run !== undefined) stages.push({ stage, status: run.status, durationMs: Math.max(0, Date.parse(run.finished) - from) });
  }
  return stages;
}

/** Events a play is folded from here: its samples and output only mark progress, never a retry. */
const NOT_RETRIES = "('agent.output', 'activity', 'task.process')";

/**
 * Retries per agent over every run, counted as the play dashboard counts them (`retriesByAgent`):
 * a task's retries, and a failed iteration the verification loop rolled back, which is a retry of
 * the stage's agent. Only the runs that retried are folded.
 */
function agentRetries(ledger: Ledger): LedgerTotals['agentRetries'] {
  const db = ledger.db;
  // An orchestrator's run retries by logging a task again under its name.
  const runs = db
    .prepare(
      "SELECT DISTINCT run_id AS id FROM events WHERE type IN ('task.retry', 'rollback') UNION SELECT t.run_id FROM tasks t JOIN runs r ON r.id = t.run_id WHERE r.origin = 'external' GROUP BY t.run_id, t.task HAVING count(*) > 1",
    )
    .all() as { id: string }[];
  const events = db.prepare(`SELECT * FROM events WHERE run_id = ? AND type NOT IN ${NOT_RETRIES} ORDER BY seq`);
  const totals = new Map<string, number>();
  for (const { id } of runs) {
    for (const [agent, count] of retriesByAgent(replay(id, (events.all(id) as EventRow[]).map(toEvent)))) totals.set(agent, (totals.get(agent) ?? 0) + count);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([agent, count]) => ({ agent, count }));
}

export function ledgerTotals(ledger: Ledger): LedgerTotals {
  const db = ledger.db;
  const stageRows = db
    .prepare("SELECT run_id AS run, time, type, json_extract(data, '$.stage') AS stage, json_extract(data, '$.status') AS status FROM events WHERE type IN ('stage.started', 'stage.finished') ORDER BY seq")
    .all() as { run: string; time: string; type: string; stage: string; status: string | null }[];
  const open = new Map<string, number>();
  const stages: LedgerTotals['stages'] = [];
  for (const row of stageRows) {
    const key = `${row.run}\u0000${row.stage}`;
    if (row.type === 'stage.started') open.set(key, Date.parse(row.time));
    else {
      const from = open.get(key);
      if (from === undefined) continue;
      open.delete(key);
      stages.push({ stage: row.stage, status: row.status ?? 'unknown', durationMs: Date.parse(row.time) - from });
    }
  }
  stages.push(...stagesEndedWithRun(ledger, open));
  return {
    stages,
    agentRetries: agentRetries(ledger),
    runsByStatus: db.prepare('SELECT status, count(*) AS count FROM runs GROUP BY status ORDER BY status').all() as LedgerTotals['runsByStatus'],
    completions: (db.prepare("SELECT started_at AS s, finished_at AS f FROM runs WHERE status = 'succeeded' AND finished_at IS NOT NULL").all() as { s: string; f: string }[]).map((r) => Date.parse(r.f) - Date.parse(r.s)),
    deviations: db
      .prepare("SELECT json_extract(data, '$.kind') AS kind, coalesce(json_extract(data, '$.stage'), '') AS stage, count(*) AS count FROM events WHERE type = 'deviation' GROUP BY 1, 2 ORDER BY 1, 2")
      .all() as LedgerTotals['deviations'],
    remediations: db
      .prepare(
        "SELECT CASE type WHEN 'admin' THEN json_extract(data, '$.action') WHEN 'task.retry' THEN 'retry' ELSE type END AS type, count(*) AS count FROM events WHERE type IN ('admin', 'rollback', 'task.retry') GROUP BY 1 ORDER BY 1",
      )
      .all() as LedgerTotals['remediations'],
  };
}
