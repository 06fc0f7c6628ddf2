import { UsageError } from '../errors.js';
import { runStatusText, type Run, type Task } from './model.js';

/** Where a keyset page ends: the last row's sort key. */
export interface CursorKey {
  startedAt: string;
  id: number | string;
}

/** Opaque to clients: base64 of the (started_at, id) of the last row on the page. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.startedAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && (typeof value[1] === 'number' || typeof value[1] === 'string')) {
      const key = { startedAt: value[0], id: value[1] };
      // Base64 decoding skips what it cannot read (a character added at the end): only our own text is a cursor.
      if (encodeCursor(key) === cursor) return key;
    }
  } catch {
    // Reported below: a cursor is either one we made or it is invalid.
  }
  throw new UsageError('Invalid cursor: pass the next_cursor of a previous page unchanged.');
}

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  next_cursor: string | null;
}

export const CSV_COLUMNS = [
  'id',
  'task',
  'run_id',
  'status',
  'started_at',
  'finished_at',
  'duration_ms',
  'inputs',
  'outputs_uri',
  'log_excerpt',
  'approval_state',
  'approver',
  'webhook_notified_at',
] as const;

/**
 * One CSV field (RFC 4180). A text cell that a spreadsheet would run as a formula (=, +, -, @)
 * gets a leading apostrophe: task names and log excerpts come from agents and other programs.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function taskCsvRow(task: Task): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: task.id,
    task: task.task,
    run_id: task.runId,
    status: task.status,
    started_at: task.startedAt,
    finished_at: task.finishedAt,
    duration_ms: task.durationMs,
    inputs: task.inputs,
    outputs_uri: task.outputsUri,
    log_excerpt: task.logExcerpt,
    approval_state: task.approvalState,
    approver: task.approver,
    webhook_notified_at: task.webhookNotifiedAt,
  };
  return CSV_COLUMNS.map((c) => csvField(cells[c])).join(',');
}

export function tasksCsv(tasks: readonly Task[]): string {
  return [CSV_COLUMNS.join(','), ...tasks.map(taskCsvRow)].join('\r\n') + '\r\n';
}

/** The first and last lines of an output, for a task's log_excerpt. */
export function logExcerpt(text: string, head = 5, tail = 15): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length <= head + tail) return lines.join('\n');
  return [...lines.slice(0, head), `… ${lines.length - head - tail} lines …`, ...lines.slice(-tail)].join('\n');
}

/**
 * A task as the API and `--json` show it: the seed API's snake_case field names (DESIGN.md's task
 * fields), so orchestrators written against it read choiros unchanged. The `outputs` a run
 * replays on resume stay internal.
 */
export function taskJson(t: Task) {
  return {
    id: t.id,
    task: t.task,
    run_id: t.runId,
    status: t.status,
    reason: t.reason,
    stage: t.stage,
    attempt: t.attempt,
    agent: t.agent,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    duration_ms: t.durationMs,
    inputs: t.inputs,
    outputs_uri: t.outputsUri,
    log_excerpt: t.logExcerpt,
    approval_state: t.approvalState,
    approver: t.approver,
    feedback: t.feedback,
    webhook_notified_at: t.webhookNotifiedAt,
  };
}
export type TaskJson = ReturnType<typeof taskJson>;

/** A run as the API (`GET /runs`) and `choiros runs --by-run --json` show it. */
export function runJson(r: Run) {
  return {
    id: r.id,
    program: r.program,
    mode: r.mode,
    args: r.args,
    status: r.status,
    /** The status in words (`stopped at a limit`), so the page does not re-derive them. */
    status_text: runStatusText(r.status),
    reason: r.reason,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    pid: r.pid,
    control: r.control,
    origin: r.origin,
  };
}
