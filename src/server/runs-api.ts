/**
 * Runs: `GET /runs`, `GET /runs/{id}` (with the play tracker's view), and the human's levers —
 * `POST /runs/{id}/approve|reject` answers the run's waiting gate, `POST /runs/{id}/pause|resume`
 * asks the process running it. Both only write to the ledger: the runner acts on them between
 * steps, and finishes an answered gate itself when it resumes (DESIGN.md, run control).
 */
import type { Task } from '../ledger/model.js';
import { hasTasks } from '../ledger/serve-queries.js';
import { type ApiContext, type Exchange } from './context.js';
import { HttpError, readJson, sendJson } from './http.js';
import { runView } from './run-view.js';
import { answerSchema, controlSchema, parse, queryObject, runsQuerySchema } from './schemas.js';
import { runJson, taskJson } from './views.js';

function runIdOf(x: Exchange): string {
  return decodeURIComponent(x.params.id ?? '');
}

export function listRuns(api: ApiContext, x: Exchange): void {
  const query = parse(runsQuerySchema, queryObject(x.url.searchParams), 'query');
  const page = api.ledger.pageRuns(query.limit, query.cursor);
  sendJson(x.res, 200, api.redact({ items: page.items.map(runJson), next_cursor: page.next_cursor }));
}

export function getRun(api: ApiContext, x: Exchange): void {
  const runId = runIdOf(x);
  api.ledger.run(runId);
  const view = runView(api.ledger, runId, { now: api.now(), ...(api.artifactExists === undefined ? {} : { artifactExists: api.artifactExists }) });
  sendJson(x.res, 200, api.redact(view));
}

/** Gates of the run that wait for an answer nobody gave yet. */
function openGates(api: ApiContext, runId: string): Task[] {
  return api.ledger.awaitingApproval(runId).filter((t) => t.approvalState !== 'approved' && t.approvalState !== 'rejected');
}

/**
 * The gate to answer: the one named, else the only one waiting. Several waiting is refused
 * rather than guessed — an approval given to the wrong gate ships the wrong thing.
 */
function gateToAnswer(api: ApiContext, runId: string, named: number | undefined): Task {
  if (named !== undefined) {
    const task = api.ledger.task(named);
    if (task.runId !== runId) throw new HttpError(404, `task: task ${named} is not part of run ${runId}`);
    return task;
  }
  const open = openGates(api, runId);
  const [only] = open;
  if (only === undefined) throw new HttpError(409, `Run ${runId} has no gate waiting for approval.`);
  if (open.length > 1) throw new HttpError(409, `task: several gates of run ${runId} wait (${open.map((t) => t.id).join(', ')}): name one`);
  return only;
}

/** Runs choiros did not start have no run row, but their tasks (an orchestrator's PR gate) can still be answered. */
function ensureRunKnown(api: ApiContext, runId: string): void {
  if (api.ledger.findRun(runId) === undefined && !hasTasks(api.ledger, runId)) throw new HttpError(404, `There is no run '${runId}'.`);
}

export function answer(state: 'approved' | 'rejected') {
  return async (api: ApiContext, x: Exchange): Promise<void> => {
    const runId = runIdOf(x);
    const body = parse(answerSchema, await readJson(x.req), 'body');
    ensureRunKnown(api, runId);
    const gate = gateToAnswer(api, runId, body.task);
    const task = api.ledger.answerApproval(gate.id, { state, approver: api.redact(body.by ?? null), feedback: api.redact(body.feedback ?? null) });
    api.written();
    sendJson(x.res, 200, api.redact({ run_id: runId, answer: state, task: taskJson(task) }));
  };
}

export function control(action: 'pause' | 'resume') {
  return async (api: ApiContext, x: Exchange): Promise<void> => {
    const runId = runIdOf(x);
    const body = parse(controlSchema, await readJson(x.req), 'body');
    const run = api.ledger.run(runId);
    if (action === 'pause') {
      if (run.finishedAt !== null && run.status !== 'paused') throw new HttpError(409, `Run ${runId} already ended (${run.status}); there is nothing to pause.`);
      if (run.status === 'paused' || run.control === 'pause') throw new HttpError(409, `Run ${runId} is already ${run.status === 'paused' ? 'paused' : 'asked to pause'}.`);
    } else if (run.status !== 'paused' && run.control !== 'pause') {
      throw new HttpError(409, `Run ${runId} is not paused (it is ${run.status}).`);
    }
    const updated = api.ledger.requestControl(runId, action, body.by ?? null);
    api.written();
    // A run that already stopped in `paused` needs a process to continue it, unless one waits on it: say how.
    const next = action === 'resume' && run.status === 'paused' ? `prose resume ${runId}` : null;
    sendJson(x.res, 202, api.redact({ run: runJson(updated), requested: action, next }));
  };
}
