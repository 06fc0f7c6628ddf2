/**
 * Cancelling a run, as `choiros cancel` and `POST /runs/{id}/cancel` both do it: a run a process
 * is running is asked (a `cancel` request in the ledger, which the process reads between steps);
 * a run that stopped to wait for `prose resume` has no process to ask, and is cancelled here.
 */
import type { Ledger } from '../ledger/ledger.js';
import { runStatusText, type Run } from '../ledger/model.js';
import { lockHolder } from '../process/lock.js';
import { closeOpenTasks } from './reconcile.js';

/** Runs that stopped and wait for `prose resume`: no process reads their requests until then. */
export const WAITING_FOR_RESUME: ReadonlySet<string> = new Set(['paused', 'awaiting_approval', 'stopped', 'interrupted']);

/**
 * What a cancel of the run does, decided alike for `choiros cancel` and `POST /runs/{id}/cancel`:
 * - `here`: no process runs it and none will read a request until `prose resume` — it is
 *   cancelled now (`cancelIdle`);
 * - `request`: a process runs it and reads a `cancel` request between steps. That includes the
 *   run's own `prose resume` caught between taking the run lock and recording `run.resumed`,
 *   while the status still says it stopped: cancelled here, the resume would run it anyway;
 * - `ended`: it finished (it is not merely stopped to wait), there is nothing to cancel;
 * - `asked`: a cancel is already requested.
 */
export type CancelDecision = 'here' | 'request' | 'ended' | 'asked';

export function cancelDecision(run: Run, runLock: string | undefined): CancelDecision {
  if (WAITING_FOR_RESUME.has(run.status)) {
    const resuming = runLock !== undefined && lockHolder(runLock)?.detail?.run === run.id;
    if (!resuming) return 'here';
  } else if (run.finishedAt !== null) return 'ended';
  return run.control === 'cancel' ? 'asked' : 'request';
}

/**
 * What a pause of the run does, decided alike for `choiros pause` and `POST /runs/{id}/pause`:
 * `request` (the process reads it between steps, or the next one that runs the run does),
 * `ended` (it finished: nothing to pause), `paused` (it already stopped paused: resume it
 * instead), `asked` (a pause is already requested) or `cancelling` (a cancel is: a pause would
 * replace it, and the run would wait instead of ending).
 */
export type PauseDecision = 'request' | 'ended' | 'paused' | 'asked' | 'cancelling';

export function pauseDecision(run: Run): PauseDecision {
  if (run.status === 'paused') return 'paused';
  if (run.finishedAt !== null) return 'ended';
  if (run.control === 'cancel') return 'cancelling';
  return run.control === 'pause' ? 'asked' : 'request';
}

/**
 * A run no process is running is cancelled here and now: a request would wait for a resume that
 * should not come, and a run waiting for approval could not be cancelled at all. Its waiting
 * gates are skipped, so no one answers them later; what its dead process left running is skipped
 * too, and the agents those steps started and that outlived it are ended. Everything is written
 * before the returned promise is awaited; it resolves to the pids ended.
 */
export function cancelIdle(ledger: Ledger, run: Run, by: string | null, graceMs: number): Promise<number[]> {
  return closeOpenTasks(ledger, run.id, graceMs, (open) => {
    for (const task of [...ledger.awaitingApproval(run.id), ...open]) ledger.transition(task.id, 'skipped', { reason: 'cancelled' });
    ledger.requestControl(run.id, 'cancel', by);
    return ledger.finishRun(run.id, 'cancelled', `cancelled${by === null ? '' : ` by ${by}`} while ${runStatusText(run.status)}`);
  }).ended;
}
