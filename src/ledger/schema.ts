import type Database from 'better-sqlite3';
import { adoptExternalRuns } from './external-runs.js';

/**
 * The ledger's tables, as numbered migrations (PRAGMA user_version counts those applied): SQL,
 * or a function for one that needs more than SQL. Times are ISO-8601 UTC text with
 * milliseconds, which sorts as time does.
 */
export const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    program       TEXT NOT NULL,
    program_hash  TEXT NOT NULL,
    args          TEXT NOT NULL DEFAULT '{}',
    mode          TEXT,
    status        TEXT NOT NULL,
    reason        TEXT,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    pid           INTEGER,
    control       TEXT
  );
  CREATE INDEX runs_started ON runs (started_at, id);

  -- Task rows keep the fields of DESIGN.md; run_id is not a foreign key because external
  -- orchestrators log tasks for runs choiros did not start.
  CREATE TABLE tasks (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    task                TEXT NOT NULL,
    run_id              TEXT NOT NULL,
    status              TEXT NOT NULL,
    reason              TEXT,
    stage               TEXT,
    step                TEXT,
    attempt             INTEGER NOT NULL DEFAULT 1,
    agent               TEXT,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    duration_ms         INTEGER,
    inputs              TEXT,
    outputs             TEXT,
    outputs_uri         TEXT,
    log_excerpt         TEXT,
    approval_state      TEXT,
    approver            TEXT,
    feedback            TEXT,
    webhook_notified_at TEXT
  );
  CREATE INDEX tasks_started_id ON tasks (started_at, id);
  CREATE INDEX tasks_status_started_id ON tasks (status, started_at, id);
  CREATE INDEX tasks_task_started_id ON tasks (task, started_at, id);
  CREATE INDEX tasks_run_started_id ON tasks (run_id, started_at, id);
  CREATE INDEX tasks_run_step ON tasks (run_id, step);

  CREATE TABLE events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id  TEXT NOT NULL,
    task_id INTEGER,
    time    TEXT NOT NULL,
    type    TEXT NOT NULL,
    data    TEXT NOT NULL
  );
  CREATE INDEX events_run_seq ON events (run_id, seq);
  `,
  // `choiros runs --status S --task T` pages in index order even when few tasks match both
  // (without it, a combination that matches nothing scans every task of one status: ~90 ms at 1M).
  `
  CREATE INDEX tasks_status_task_started_id ON tasks (status, task, started_at, id);
  `,
  // Runs an orchestrator logged through the task API get a run row like choiros' own, so every
  // view lists them (issue 8); those logged before this version are adopted from their tasks.
  (db) => {
    db.exec("ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'choiros'");
    adoptExternalRuns(db);
  },
];
