import type { Ledger } from '../ledger/ledger.js';
import type { Run, Task } from '../ledger/model.js';
import { holderAlive, lockHolder } from '../process/lock.js';
import { terminateTrees } from '../process/tree.js';

export interface Reconciled {
  /** Tasks that were running when the run's process died, now failed as `interrupted`. */
  interrupted: Task[];
  /** Processes of those tasks that outlived the runner and were ended. */
  ended: number[];
}

/**
 * Before a run resumes: every task left running by a process that died (a crash, `kill -9`, a
 * reboot) is reconciled. An agent or command that outlived its runner — it runs in its own
 * process group, so it does — is ended first (SIGTERM, then SIGKILL): it would otherwise go on
 * editing files under the resumed run. The task is then failed with reason `interrupted`, and
 * the resumed run runs the step again as its next attempt.
 */
export async function reconcileRun(ledger: Ledger, runId: string, graceMs: number): Promise<Reconciled> {
  const open = ledger.tasksOfRun(runId).filter((t) => t.status === 'running' || t.status === 'queued');
  if (open.length === 0) return { interrupted: [], ended: [] };
  const ids = new Set(open.map((t) => t.id));
  const processes: number[] = [];
  for (const { event } of ledger.events({ runId })) {
    // Without its start time a pid may belong to someone else by now: never signal a stranger.
    if (event.type !== 'task.process' || !ids.has(event.taskId) || event.startTicks === null) continue;
    if (holderAlive({ pid: event.pid, startTicks: event.startTicks, doing: '', since: '' })) processes.push(event.pid);
  }
  const ended = processes.length === 0 ? { terminated: [], killed: [] } : await terminateTrees(processes, { graceMs });
  const interrupted = open.map((t) => ledger.transition(t.id, 'failed', { reason: 'interrupted' }));
  return { interrupted, ended: [...ended.terminated, ...ended.killed] };
}

/** The reason an orphaned run is recorded with. */
export const ORPHANED = 'its process ended before the run did (a crash, kill -9, a reboot): prose resume continues it from its first unfinished step';

/**
 * Whether a process may be running `run` now: the live holder of the project's run lock (taken
 * before a run is recorded, released after it is finished) names it, or its pid still runs.
 */
export function runnerAlive(run: Pick<Run, 'id' | 'pid'>, runLock: string): boolean {
  if (lockHolder(runLock)?.detail?.run === run.id) return true;
  // A run recorded without a pid (by another tool) cannot be judged: it is taken as running. A
  // live pid that is not the lock's holder may be a stranger now — or a runner that lost its lock
  // file: running, to be safe.
  return run.pid === null || holderAlive({ pid: run.pid, startTicks: undefined, doing: '', since: '' });
}

/**
 * Runs the ledger says are running but no process runs — their runner was killed, crashed or the
 * machine rebooted — are recorded `interrupted`, so that every view tells the truth and says to
 * resume them. Their tasks are left as they are: `prose resume` reconciles them (reconcileRun).
 */
export function settleOrphanedRuns(ledger: Ledger, runLock: string): Run[] {
  return ledger.runningRuns().flatMap((run) => (runnerAlive(run, runLock) ? [] : [ledger.finishRun(run.id, 'interrupted', ORPHANED)]));
}
