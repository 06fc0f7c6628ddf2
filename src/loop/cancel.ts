/**
 * Cancelling a run, as `choiros cancel` and `POST /runs/{id}/cancel` both do it: a run a process
 * is running is asked (a `cancel` request in the ledger, which the process reads between steps);
 * a run that stopped to wait for `prose resume` has no process to ask, and is cancelled here.
 */
import type { Ledger } from '../ledger/ledger.js';
import type { Run } from '../ledger/model.js';
import { lockHolder } from '../process/lock.js';
import { closeOpenTasks } from './reconcile.js';

/** Runs that stopped and wait for `prose resume`: no process reads their requests until then. */
export const WAITING_FOR_RESUME: ReadonlySet<string> = new Set(['paused', 'awaiting_approval', 'stopped', 'interrupted']);

/** Whether no process is running the run, so a cancel request would wait for a resume that should not come. */
export function idleForCancel(run: Run, runLock: string | undefined): boolean {
  return WAITING_FOR_RESUME.has(run.status) && (runLock === undefined || lockHolder(runLock)?.detail?.run !== run.id);
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
    return ledger.finishRun(run.id, 'cancelled', `cancelled${by === null ? '' : ` by ${by}`} while ${run.status.replace('_', ' ')}`);
  }).ended;
}
