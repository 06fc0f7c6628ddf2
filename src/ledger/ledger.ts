import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AbortError } from '../errors.js';
import { canTransition, type ApprovalState, type LedgerEvent, type Run, type RunOrigin, type RunStatus, type StoredEvent, type Task, type TaskStatus } from './model.js';
import { decodeCursor, encodeCursor, type Page } from './pages.js';
import { stored, toEvent, toRun, toTask, type EventRow, type RunRow, type TaskRow } from './rows.js';
import { MIGRATIONS } from './schema.js';

/** A refused change: an unknown id, or a transition the task state machine forbids. */
export class LedgerError extends AbortError {
  readonly code: 'not_found' | 'invalid_transition';

  constructor(code: LedgerError['code'], message: string) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
  }
}

export interface NewTask {
  task: string;
  runId: string;
  status?: TaskStatus;
  stage?: string | null;
  step?: string | null;
  attempt?: number;
  agent?: string | null;
  inputs?: unknown;
  startedAt?: string;
}

/** Fields that may change alongside (or without) a status change. */
export interface TaskPatch {
  reason?: string | null;
  outputs?: unknown;
  outputsUri?: string | null;
  logExcerpt?: string | null;
  approvalState?: ApprovalState | null;
  approver?: string | null;
  feedback?: string | null;
  webhookNotifiedAt?: string | null;
  finishedAt?: string | null;
  durationMs?: number | null;
}

export interface TaskFilter {
  runId?: string;
  status?: TaskStatus;
  task?: string;
  /** Only tasks started at or after this ISO time. */
  since?: string;
}

const PATCH_COLUMNS: Record<keyof TaskPatch, string> = {
  reason: 'reason',
  outputs: 'outputs',
  outputsUri: 'outputs_uri',
  logExcerpt: 'log_excerpt',
  approvalState: 'approval_state',
  approver: 'approver',
  feedback: 'feedback',
  webhookNotifiedAt: 'webhook_notified_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
};

/** A patch as `[column, stored value]` pairs, leaving out what it does not set. */
function patchColumns(patch: TaskPatch): Array<[string, unknown]> {
  return (Object.entries(patch) as [keyof TaskPatch, unknown][]).filter(([, v]) => v !== undefined).map(([k, v]) => [PATCH_COLUMNS[k], k === 'outputs' ? stored(v) : v]);
}

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * The embedded SQLite ledger. Writes are durable before they return (WAL, synchronous=FULL), so
 * an event recorded before an effect survives a crash or `kill -9` of the writer; several
 * processes (a run, `choiros approve`, the web server) share one file.
 */
export class Ledger {
  readonly db: Database.Database;
  private readonly now: () => string;
  /** Prepared once per SQL text: a run writes the same few statements thousands of times. */
  private readonly statements = new Map<string, Database.Statement>();
  /** One wrapper made once (better-sqlite3 builds several functions per `db.transaction` call); nested calls become savepoints. */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  private constructor(db: Database.Database, now: () => string) {
    this.db = db;
    this.now = now;
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
  }

  static open(path: string, options: { now?: () => string; readonly?: boolean } = {}): Ledger {
    if (path !== ':memory:' && options.readonly !== true) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
    db.pragma('busy_timeout = 5000');
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db);
    }
    return new Ledger(db, options.now ?? (() => new Date().toISOString()));
  }

  close(): void {
    this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn) as T;
  }



  /**
   * Runs `fn` with commits that do not wait for the disk. The WAL is append-only, so the next
   * ordinary (synchronous=FULL) commit makes these durable too; only writes after the last
   * ordinary commit can be lost, and only to a power cut (a killed process loses nothing). For
   * records whose loss then is harmless — a step about to start, a batch of output, the end of a
   * step that takes a moment to redo — so that a step costs one disk flush, not two.
   */
  unsynced<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.statement('PRAGMA synchronous = NORMAL').run();
    try {
      return fn();
    } finally {
      this.statement('PRAGMA synchronous = FULL').run();
    }
  }

  time(): string {
    return this.now();
  }

  createRun(input: { id?: string; program: string; programHash: string; args?: Record<string, unknown>; mode?: string | null; pid?: number | null; origin?: RunOrigin }): Run {
    const startedAt = this.now();
    const id = input.id ?? newRunId(new Date(startedAt));
    const origin = input.origin ?? 'choiros';
    this.db
      .prepare('INSERT INTO runs (id, program, program_hash, args, mode, status, started_at, pid, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.program, input.programHash, JSON.stringify(input.args ?? {}), input.mode ?? null, 'running', startedAt, input.pid ?? null, origin);
    this.append(id, { type: 'run.started', program: input.program, args: input.args ?? {}, mode: input.mode ?? null, ...(origin === 'external' ? { origin } : {}) });
    return this.run(id);
  }

  findRun(id: string): Run | undefined {
    const row = this.statement('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  run(id: string): Run {
    const found = this.findRun(id);
    if (found === undefined) throw new LedgerError('not_found', `There is no run '${id}'.`);
    return found;
  }

  finishRun(id: string, status: RunStatus, reason: string | null = null): Run {
    const finished = status === 'running' || status === 'paused' ? null : this.now();
    this.statement('UPDATE runs SET status = ?, reason = ?, finished_at = ?, control = NULL WHERE id = ?').run(status, reason, finished, id);
    this.append(id, { type: 'run.finished', status, reason });
    return this.run(id);
  }

  /** Another process asks a run to pause or cancel (or clears the request, to resume). */
  requestControl(id: string, control: 'pause' | 'cancel' | 'resume', by: string | null = null): Run {
    this.run(id);
    this.statement('UPDATE runs SET control = ? WHERE id = ?').run(control === 'resume' ? null : control, id);
    this.append(id, { type: 'run.control', control, by });
    return this.run(id);
  }

  /** Marks a run as being executed (again) by this process. */
  claimRun(id: string, pid: number): Run {
    this.statement("UPDATE runs SET pid = ?, status = 'running', finished_at = NULL, reason = NULL WHERE id = ?").run(pid, id);
    this.append(id, { type: 'run.resumed', pid });
    return this.run(id);
  }

  /** The run's arguments as they now stand (run settings raised by `prose resume`). */
  updateRunArgs(id: string, args: Record<string, unknown>): Run {
    this.statement('UPDATE runs SET args = ? WHERE id = ?').run(JSON.stringify(args), id);
    return this.run(id);
  }

  /** A run resumed with its program changed (a human confirmed it): the new program's hash is pinned from now on. */
  repinProgram(id: string, programHash: string): Run {
    this.statement('UPDATE runs SET program_hash = ? WHERE id = ?').run(programHash, id);
    return this.run(id);
  }

  /** Runs recorded as running (by a live process, or by one that died without saying so). */
  runningRuns(): Run[] {
    return (this.statement("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at").all() as RunRow[]).map(toRun);
  }

  pageRuns(limit: number, cursor?: string): Page<Run> {
    const key = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = (
      key === undefined
        ? this.statement('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit + 1)
        : this.statement('SELECT * FROM runs WHERE (started_at, id) < (?, ?) ORDER BY started_at DESC, id DESC LIMIT ?').all(key.startedAt, String(key.id), limit + 1)
    ) as RunRow[];
    const items = rows.slice(0, limit).map(toRun);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > limit && last !== undefined ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
  }

  createTask(input: NewTask): Task {
    const status = input.status ?? 'queued';
    const startedAt = input.startedAt ?? this.now();
    const info = this.statement('INSERT INTO tasks (task, run_id, status, stage, step, attempt, agent, started_at, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(input.task, input.runId, status, input.stage ?? null, input.step ?? null, input.attempt ?? 1, input.agent ?? null, startedAt, stored(input.inputs));
    const id = Number(info.lastInsertRowid);
    this.append(input.runId, { type: 'task.created', taskId: id, task: input.task, status, stage: input.stage ?? null, agent: input.agent ?? null }, id);
    return this.task(id);
  }

  findTask(id: number): Task | undefined {
    const row = this.statement('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return row === undefined ? undefined : toTask(row);
  }

  task(id: number): Task {
    const found = this.findTask(id);
    if (found === undefined) throw new LedgerError('not_found', `There is no task ${id}.`);
    return found;
  }

  /** Sets fields without changing the status. */
  updateTask(id: number, patch: TaskPatch): Task {
    this.setColumns(id, patchColumns(patch));
    return this.task(id);
  }

  /** One UPDATE of the given columns (none: nothing to do). */
  private setColumns(id: number, columns: ReadonlyArray<readonly [string, unknown]>): void {
    if (columns.length === 0) return;
    const sets = columns.map(([column]) => `${column} = ?`).join(', ');
    this.statement(`UPDATE tasks SET ${sets} WHERE id = ?`).run(...(columns.map(([, value]) => value) as (string | number | null)[]), id);
  }

  /**
   * Moves a task along the state machine. An illegal move is refused: it is recorded as an
   * InvalidTransition deviation and thrown as a LedgerError, and the task is left as it was.
   */
  transition(id: number, to: TaskStatus, patch: TaskPatch = {}): Task {
    const refused = this.transaction(() => {
      const current = this.task(id);
      if (!canTransition(current.status, to)) return current;
      const ends = to === 'succeeded' || to === 'failed' || to === 'skipped';
      const finishedAt = ends ? (patch.finishedAt ?? this.now()) : null;
      const durationMs = ends ? (patch.durationMs ?? Math.max(0, Date.parse(finishedAt ?? '') - Date.parse(current.startedAt))) : null;
      const { finishedAt: _finished, durationMs: _duration, ...rest } = patch;
      // One statement for the move and its fields: each UPDATE of a task row rewrites its index entries.
      this.setColumns(id, [['status', to], ['finished_at', finishedAt], ['duration_ms', durationMs], ...patchColumns(rest)]);
      this.append(current.runId, { type: 'task.transition', taskId: id, from: current.status, to, reason: patch.reason ?? null }, id);
      return undefined;
    });
    if (refused !== undefined) {
      // Recorded outside the refused transaction, so the deviation survives the refusal.
      this.append(refused.runId, { type: 'deviation', kind: 'InvalidTransition', stage: refused.stage, detail: `task ${id} (${refused.task}): ${refused.status} -> ${to}` }, id);
      throw new LedgerError('invalid_transition', `Task ${id} cannot go from ${refused.status} to ${to}.`);
    }
    return this.task(id);
  }

  /**
   * Records a human's answer to a waiting gate (`choiros approve|reject`, the web dashboard). The
   * task stays `awaiting_approval` with the answer on it; the run picks the answer up when it
   * resumes and finishes the task. A task that is not waiting, or was answered already, is refused.
   * `option` names the gate option picked when it is not simply yes or no (`Modify`).
   */
  answerApproval(id: number, answer: { state: 'approved' | 'rejected'; approver?: string | null; feedback?: string | null; option?: string | null }): Task {
    const refused = this.transaction(() => {
      const task = this.task(id);
      if (task.status !== 'awaiting_approval') return `Task ${id} is not waiting for approval (it is ${task.status}).`;
      if (task.approvalState === 'approved' || task.approvalState === 'rejected') return `Task ${id} was already ${task.approvalState}${task.approver === null ? '' : ` by ${task.approver}`}.`;
      this.updateTask(id, { approvalState: answer.state, approver: answer.approver ?? null, feedback: answer.feedback ?? null });
      const option = answer.option === undefined || answer.option === null ? {} : { option: answer.option };
      this.append(task.runId, { type: 'task.approval', taskId: id, state: answer.state, approver: answer.approver ?? null, feedback: answer.feedback ?? null, ...option }, id);
      return undefined;
    });
    if (refused !== undefined) throw new LedgerError('invalid_transition', refused);
    return this.task(id);
  }

  /** Tasks waiting for a human's answer, oldest first. */
  awaitingApproval(runId?: string): Task[] {
    const rows = (
      runId === undefined
        ? this.db.prepare("SELECT * FROM tasks WHERE status = 'awaiting_approval' ORDER BY id").all()
        : this.db.prepare("SELECT * FROM tasks WHERE status = 'awaiting_approval' AND run_id = ? ORDER BY id").all(runId)
    ) as TaskRow[];
    return rows.map(toTask);
  }

  tasksOfRun(runId: string): Task[] {
    return (this.statement('SELECT * FROM tasks WHERE run_id = ? ORDER BY id').all(runId) as TaskRow[]).map(toTask);
  }

  /** The latest attempt of a step of a run (what a resumed run replays). */
  findStep(runId: string, step: string): Task | undefined {
    const row = this.statement('SELECT * FROM tasks WHERE run_id = ? AND step = ? ORDER BY id DESC LIMIT 1').get(runId, step) as TaskRow | undefined;
    return row === undefined ? undefined : toTask(row);
  }

  /** Newest first, keyset-paginated on (started_at, id). */
  pageTasks(filter: TaskFilter, limit: number, cursor?: string): Page<Task> {
    const conditions: [string, string | undefined][] = [
      ['run_id = ?', filter.runId],
      ['status = ?', filter.status],
      ['task = ?', filter.task],
      ['started_at >= ?', filter.since],
    ];
    const where = conditions.filter(([, v]) => v !== undefined).map(([sql]) => sql);
    const params: (string | number)[] = conditions.flatMap(([, v]) => (v === undefined ? [] : [v]));
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      where.push('(started_at, id) < (?, ?)');
      params.push(key.startedAt, Number(key.id));
    }
    const sql = `SELECT * FROM tasks${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
    const rows = this.statement(sql).all(...params, limit + 1) as TaskRow[];
    const items = rows.slice(0, limit).map(toTask);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > limit && last !== undefined ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
  }

  append(runId: string, event: LedgerEvent, taskId: number | null = null): StoredEvent {
    const { type, ...data } = event;
    const time = this.now();
    const info = this.statement('INSERT INTO events (run_id, task_id, time, type, data) VALUES (?, ?, ?, ?, ?)').run(runId, taskId, time, type, JSON.stringify(data));
    return { seq: Number(info.lastInsertRowid), runId, taskId, time, event };
  }

  /** Events of one run (or of all runs), after a sequence number, oldest first. */
  events(options: { runId?: string; afterSeq?: number; limit?: number } = {}): StoredEvent[] {
    const rows = (
      options.runId === undefined
        ? this.statement('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(options.afterSeq ?? 0, options.limit ?? -1)
        : this.statement('SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(options.runId, options.afterSeq ?? 0, options.limit ?? -1)
    ) as EventRow[];
    return rows.map(toEvent);
  }
}

function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= MIGRATIONS.length) return;
  // Two processes may open a new ledger at once (a run and a reader): the version is read again
  // under the write lock, so the second finds the tables made and does not make them again.
  db.transaction(() => {
    for (let v = version(); v < MIGRATIONS.length; v++) {
      const migration = MIGRATIONS[v] ?? '';
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
