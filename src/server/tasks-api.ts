/**
 * The task API of the orchestration seed: `POST /agents/tasks/`, `PATCH /agents/tasks/{id}`,
 * `GET /agents/tasks/` (the legacy list), `GET /agents/tasks/paged` (`{items, next_cursor}`) and
 * `GET /agents/tasks/paged.csv`. External orchestrators log their tasks here and see them in
 * every choiros view: a task under a run id choiros has not seen opens an external run, whose
 * status follows its tasks. Status changes follow the ledger's state machine.
 */
import { isExternal, openExternalRun, syncExternalRun } from '../ledger/external-runs.js';
import type { TaskPatch, TaskFilter } from '../ledger/ledger.js';
import { isTerminal, type Task } from '../ledger/model.js';
import { tasksCsv } from '../ledger/pages.js';
import { taskId, type ApiContext, type Exchange } from './context.js';
import { HttpError, readJson, sendJson, sendText } from './http.js';
import { createTaskSchema, parse, patchTaskSchema, queryObject, taskQuerySchema, type PatchTaskBody } from './schemas.js';
import { taskJson } from './views.js';

export const MAX_PAGE = 1000;
export const MAX_CSV_ROWS = 10_000;
export const LEGACY_LIMIT = 100;

function toPatch(body: Omit<PatchTaskBody, 'status'>): TaskPatch {
  const patch: TaskPatch = {};
  const set = <K extends keyof TaskPatch>(key: K, value: TaskPatch[K] | undefined) => {
    if (value !== undefined) patch[key] = value;
  };
  set('reason', body.reason);
  set('finishedAt', body.finished_at);
  set('durationMs', body.duration_ms);
  set('outputsUri', body.outputs_uri);
  set('logExcerpt', body.log_excerpt);
  set('approvalState', body.approval_state);
  set('approver', body.approver);
  set('feedback', body.feedback);
  set('webhookNotifiedAt', body.webhook_notified_at);
  return patch;
}

/** A task logged as already ended gets an end time and a duration, as a transition would give it. */
function endedPatch(task: Task, patch: TaskPatch, now: string): TaskPatch {
  if (!isTerminal(task.status)) return patch;
  const finishedAt = patch.finishedAt ?? now;
  return { ...patch, finishedAt, durationMs: patch.durationMs ?? Math.max(0, Date.parse(finishedAt) - Date.parse(task.startedAt)) };
}

export async function createTask(api: ApiContext, x: Exchange): Promise<void> {
  const body = parse(createTaskSchema, await readJson(x.req), 'body');
  const { task: name, run_id, status, started_at, stage, agent, attempt, inputs, ...fields } = body;
  const task = api.ledger.transaction(() => {
    openExternalRun(api.ledger, run_id);
    const created = api.ledger.createTask({
      task: name,
      runId: run_id,
      ...(status === undefined ? {} : { status }),
      ...(started_at === undefined ? {} : { startedAt: started_at }),
      ...(stage === undefined ? {} : { stage }),
      ...(agent === undefined ? {} : { agent }),
      ...(attempt === undefined ? {} : { attempt }),
      ...(inputs === undefined ? {} : { inputs }),
    });
    const task = api.ledger.updateTask(created.id, endedPatch(created, toPatch(fields), api.ledger.time()));
    syncExternalRun(api.ledger, run_id);
    return task;
  });
  api.written();
  sendJson(x.res, 201, api.redact(taskJson(task)), { location: `/agents/tasks/${task.id}` });
}

const ANSWER_FIELDS = ['approval_state', 'approver', 'feedback'] as const;

/**
 * Tasks of a run choiros drives are the runner's: a PATCH may add what it records (an excerpt,
 * an outputs link) but not move them or answer them — a task set to skipped under a live agent,
 * or a gate approved without its event, would leave the runner and the ledger disagreeing. The
 * run's own routes answer, continue and cancel.
 */
function refuseDriven(api: ApiContext, current: Task, body: PatchTaskBody): void {
  const run = api.ledger.findRun(current.runId);
  if (run === undefined || isExternal(run)) return;
  const route = `/runs/${encodeURIComponent(run.id)}`;
  if (ANSWER_FIELDS.some((field) => body[field] !== undefined)) {
    throw new HttpError(409, `approval_state: task ${current.id} belongs to run ${run.id}, which choiros drives: answer its gate with POST ${route}/approve or /reject`);
  }
  if (body.status !== undefined && body.status !== current.status) {
    throw new HttpError(409, `status: task ${current.id} belongs to run ${run.id}, which choiros drives: its runner moves it (stop the run with POST ${route}/cancel)`);
  }
}

/**
 * An answer to a waiting task is more than three fields: it is recorded as a `task.approval`
 * event, and a second answer is refused. So a PATCH that answers a waiting task of an external
 * run goes through the same ledger call as `POST /runs/{id}/approve` (then moves it, when a
 * status comes too); an orchestrator's tasks that do not wait keep whatever it records.
 */
function answersGate(current: Task, body: PatchTaskBody): boolean {
  if (current.status !== 'awaiting_approval' || !ANSWER_FIELDS.some((field) => body[field] !== undefined)) return false;
  if (body.approval_state !== 'approved' && body.approval_state !== 'rejected') {
    throw new HttpError(409, `approval_state: task ${current.id} waits for an answer: set approved or rejected (with approver and feedback)`);
  }
  return true;
}

export async function patchTask(api: ApiContext, x: Exchange): Promise<void> {
  const id = taskId(x.params.id);
  const body = parse(patchTaskSchema, await readJson(x.req), 'body');
  const current = api.ledger.task(id);
  refuseDriven(api, current, body);
  const { status, ...fields } = body;
  // The same status again is not a move: it only sets the other fields (a retried PATCH stays harmless).
  const moves = status !== undefined && status !== current.status;
  const apply = (rest: Omit<PatchTaskBody, 'status'>) => (moves ? api.ledger.transition(id, status, toPatch(rest)) : api.ledger.updateTask(id, toPatch(rest)));
  let task: Task;
  if (answersGate(current, body)) {
    const { approval_state: state, approver, feedback, ...rest } = fields;
    // The answer and the move stand or fall together (a refused move is a legal answer lost otherwise).
    task = api.ledger.transaction(() => {
      api.ledger.answerApproval(id, { state: state as 'approved' | 'rejected', approver: approver ?? null, feedback: feedback ?? null });
      return apply(rest);
    });
  } else {
    // Outside a transaction: a refused move records its InvalidTransition deviation.
    task = apply(fields);
  }
  syncExternalRun(api.ledger, task.runId);
  api.written();
  sendJson(x.res, 200, api.redact(taskJson(task)));
}

export function getTask(api: ApiContext, x: Exchange): void {
  sendJson(x.res, 200, api.redact(taskJson(api.ledger.task(taskId(x.params.id)))));
}

function filterOf(query: { run_id?: string | undefined; status?: Task['status'] | undefined; task?: string | undefined; since?: string | undefined }): TaskFilter {
  return {
    ...(query.run_id === undefined ? {} : { runId: query.run_id }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.task === undefined ? {} : { task: query.task }),
    ...(query.since === undefined ? {} : { since: query.since }),
  };
}

const legacyQuery = taskQuerySchema(MAX_PAGE, LEGACY_LIMIT);
const pagedQuery = taskQuerySchema(MAX_PAGE, 50);
const csvQuery = taskQuerySchema(MAX_CSV_ROWS, MAX_CSV_ROWS);

/** The legacy list: a plain array, newest first, the newest `limit` (default 100). */
export function listTasks(api: ApiContext, x: Exchange): void {
  const query = parse(legacyQuery, queryObject(x.url.searchParams), 'query');
  if (query.cursor !== undefined) throw new HttpError(400, 'cursor: the legacy list has no pages; use /agents/tasks/paged');
  sendJson(x.res, 200, api.redact(api.ledger.pageTasks(filterOf(query), query.limit).items.map(taskJson)));
}

export function pagedTasks(api: ApiContext, x: Exchange): void {
  const query = parse(pagedQuery, queryObject(x.url.searchParams), 'query');
  const page = api.ledger.pageTasks(filterOf(query), query.limit, query.cursor);
  sendJson(x.res, 200, api.redact({ items: page.items.map(taskJson), next_cursor: page.next_cursor }));
}

/** CSV of up to 10,000 rows; when there are more, `X-Next-Cursor` continues. */
export function csvTasks(api: ApiContext, x: Exchange): void {
  const query = parse(csvQuery, queryObject(x.url.searchParams), 'query');
  const page = api.ledger.pageTasks(filterOf(query), query.limit, query.cursor);
  const headers: Record<string, string> = { 'content-disposition': 'attachment; filename="tasks.csv"', 'cache-control': 'no-store' };
  if (page.next_cursor !== null) headers['x-next-cursor'] = page.next_cursor;
  sendText(x.res, 200, 'text/csv; charset=utf-8', api.redact(tasksCsv(page.items)), headers);
}
