/**
 * Runs: `GET /runs`, `GET /runs/{id}` (with the play tracker's view), and the human's levers —
 * `POST /runs/{id}/approve|reject` answers the run's waiting gate, `POST /runs/{id}/pause|resume`
 * asks the process running it, `POST /runs/{id}/cancel` stops it as `choiros cancel` does. All
 * write to the ledger, where a live runner reads them (a prompt at a terminal takes an answer
 * given here too). A run that stopped to wait — for the gate (exit 4), or paused — has no process
 * to read them: one is started (`prose resume`), so that the page's buttons finish what they say
 * (DESIGN.md, run control). Runs an orchestrator logged through the task API have their gates
 * answered, but nothing of choiros drives them.
 */
import { isExternal } from '../ledger/external-runs.js';
import { runStatusText, type Run, type Task } from '../ledger/model.js';
import { cancelIdle, pauseDecision } from '../loop/cancel.js';
import { checkOption, gateOptions } from '../runtime/gate-options.js';
import { type ApiContext, type Exchange } from './context.js';
import { HttpError, readJson, sendJson } from './http.js';
import { runView } from './run-view.js';
import { answerSchema, controlSchema, parse, queryObject, runsQuerySchema, type AnswerBody } from './schemas.js';
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

/** Refused for runs no choiros process drives: nothing would act on the request. */
function ensureDriven(run: Run, action: string): void {
  if (isExternal(run)) throw new HttpError(409, `Run ${run.id} is not a choiros-driven run: an external orchestrator logs it through the task API, so choiros cannot ${action} it.`);
}

interface Continuation {
  /** The background `prose resume` this request started, when it started one. */
  continued: { pid: number; log: string | null } | null;
  /** The command a person still has to run for the run to go on, when nothing else will. */
  next: string | null;
  /** What happens now, for people. */
  note: string;
}

/**
 * Starts `prose resume` for a run that stopped for a human and has no process, and records who
 * asked and when (a `run.continued` event); when this server cannot, the command is handed back.
 */
function continueStopped(api: ApiContext, runId: string, by: string | null, why: 'approved' | 'rejected' | 'resumed'): Continuation {
  const byHand = { continued: null, next: `prose resume ${runId}`, note: `Continue the run with: prose resume ${runId}` };
  if (api.continueRun === undefined) return byHand;
  let started: { pid: number; log: string | null };
  try {
    started = api.continueRun(runId);
  } catch (error) {
    const why = api.redact(error instanceof Error ? error.message : String(error));
    api.log(`could not continue ${runId}: ${why}`);
    return { ...byHand, note: `Could not continue the run here (${why}): continue it with prose resume ${runId}` };
  }
  api.ledger.append(runId, { type: 'run.continued', by, why, pid: started.pid, log: started.log });
  return { continued: started, next: null, note: `The run goes on: prose resume ${runId} started in the background (pid ${started.pid}).` };
}

/** What becomes of the run once its gate is answered. */
function afterAnswer(api: ApiContext, runId: string, by: string | null, state: 'approved' | 'rejected'): Continuation {
  const run = api.ledger.run(runId);
  if (isExternal(run)) return { continued: null, next: null, note: 'Recorded on the task: the orchestrator that logged it reads the answer from there.' };
  if (api.runnerAlive(run)) return { continued: null, next: null, note: 'The run carries on from here: its process reads the answer from the ledger.' };
  const open = openGates(api, runId);
  if (open.length > 0) return { continued: null, next: null, note: `The run goes on once its other waiting gates are answered too (task ${open.map((t) => t.id).join(', ')}).` };
  // Only a run that stopped to wait (exit 4) is continued: one interrupted or cancelled was stopped for another reason.
  if (run.status !== 'awaiting_approval') return { continued: null, next: `prose resume ${runId}`, note: `The run is ${runStatusText(run.status)}: continue it with prose resume ${runId}` };
  return continueStopped(api, runId, by, state);
}

/** The option an answer picks (null: none named), checked as `choiros approve --option` checks it; refused with a 400 naming the field. */
function pickedOption(gate: Task, state: 'approved' | 'rejected', body: AnswerBody): string | null {
  const check = checkOption(gateOptions(gate.inputs), state, body.option, body.feedback);
  if (check.kind === 'refused') throw new HttpError(400, `${check.field}: ${check.problem}`);
  return check.option;
}

export function answer(state: 'approved' | 'rejected') {
  return async (api: ApiContext, x: Exchange): Promise<void> => {
    const runId = runIdOf(x);
    const body = parse(answerSchema, await readJson(x.req), 'body');
    api.ledger.run(runId);
    const gate = gateToAnswer(api, runId, body.task);
    const option = pickedOption(gate, state, body);
    const by = api.redact(body.by ?? null);
    const task = api.ledger.answerApproval(gate.id, { state, approver: by, feedback: api.redact(body.feedback ?? null), ...(option === null ? {} : { option }) });
    const after = afterAnswer(api, runId, by, state);
    api.written();
    sendJson(x.res, 200, api.redact({ run_id: runId, answer: state, option, task: taskJson(task), ...after }));
  };
}

export function control(action: 'pause' | 'resume') {
  return async (api: ApiContext, x: Exchange): Promise<void> => {
    const runId = runIdOf(x);
    const body = parse(controlSchema, await readJson(x.req), 'body');
    const run = api.ledger.run(runId);
    ensureDriven(run, action);
    if (action === 'pause') {
      // Decided as `choiros pause` decides (loop/cancel.ts).
      const decision = pauseDecision(run);
      if (decision === 'ended') throw new HttpError(409, `Run ${runId} already ended (${run.status}); there is nothing to pause.`);
      if (decision === 'cancelling') throw new HttpError(409, `Run ${runId} is already asked to cancel; a pause would keep it waiting instead.`);
      if (decision !== 'request') throw new HttpError(409, `Run ${runId} is already ${decision === 'paused' ? 'paused' : 'asked to pause'}.`);
    } else if (run.status !== 'paused' && run.control !== 'pause') {
      throw new HttpError(409, `Run ${runId} is not paused (it is ${run.status}).`);
    }
    const by = api.redact(body.by ?? null);
    api.ledger.requestControl(runId, action, by);
    // A run that already stopped in `paused` has no process to read the request: one is started.
    const after = action === 'resume' && run.status === 'paused' && !api.runnerAlive(run) ? continueStopped(api, runId, by, 'resumed') : { continued: null, next: null };
    api.written();
    sendJson(x.res, 202, api.redact({ run: runJson(api.ledger.run(runId)), requested: action, continued: after.continued, next: after.next }));
  };
}

/**
 * `POST /runs/{id}/cancel`: what `choiros cancel` does. A run a process is running is asked
 * (`Ledger.requestControl`, 202): the process stops its agents between steps and records the run
 * cancelled; so is one whose `prose resume` has the run lock but has not yet recorded it going.
 * A run that stopped to wait — for a gate, paused, interrupted — has no process to ask: it is
 * cancelled here (200), its waiting gates and open tasks skipped, and the agents its dead
 * process left running ended (`ended`: their pids). `choiros cancel` decides alike
 * (loop/cancel.ts `cancelDecision`).
 */
export async function cancel(api: ApiContext, x: Exchange): Promise<void> {
  const runId = runIdOf(x);
  const body = parse(controlSchema, await readJson(x.req), 'body');
  const run = api.ledger.run(runId);
  ensureDriven(run, 'cancel');
  const by = api.redact(body.by ?? null);
  const decision = api.cancelDecision(run);
  if (decision === 'here') {
    const ending = cancelIdle(api.ledger, run, by, api.stopGraceMs);
    // Recorded already: the page hears of it now, not after the grace period the agents get.
    api.written();
    const ended = await ending;
    sendJson(x.res, 200, api.redact({ run: runJson(api.ledger.run(runId)), requested: 'cancel', cancelled: true, ended }));
    return;
  }
  if (decision === 'ended') throw new HttpError(409, `Run ${runId} already ended (${run.status}); there is nothing to cancel.`);
  if (decision === 'asked') throw new HttpError(409, `Run ${runId} is already asked to cancel.`);
  api.ledger.requestControl(runId, 'cancel', by);
  api.written();
  sendJson(x.res, 202, api.redact({ run: runJson(api.ledger.run(runId)), requested: 'cancel', cancelled: false, ended: [] }));
}
