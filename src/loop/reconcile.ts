import type { Ledger } from '../ledger/ledger.js';
import type { Task } from '../ledger/model.js';
import { holderAlive } from '../process/lock.js';
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
