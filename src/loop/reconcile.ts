import type { Ledger } from '../ledger/ledger.js';
import type { Run, Task } from '../ledger/model.js';
import { holderAlive, lockHolder, startTicksOf } from '../process/lock.js';
import { terminateTrees } from '../process/tree.js';

/** How long leftover processes get between SIGTERM and SIGKILL when no stop_grace is configured. */
export const ORPHAN_GRACE_MS = 3000;

export interface Reconciled {
  /** Tasks that were running when the run's process died, now failed as `interrupted`. */
  interrupted: Task[];
  /** Processes of those tasks that outlived the runner and were ended. */
  ended: number[];
}

/** The run's tasks its process had started and not finished. */
function openTasks(ledger: Ledger, runId: string): Task[] {
  return ledger.tasksOfRun(runId).filter((t) => t.status === 'running' || t.status === 'queued');
}

interface Leftovers {
  roots: number[];
  /** Roots whose own process is gone: only what is left in their session is theirs. */
  exited: Set<number>;
}

/**
 * The process trees the given tasks started (`task.process` events) that may still run. A pid
 * counts only while it is the same process — its start time as recorded — never a pid reused by
 * a stranger; one recorded without a start time cannot be told apart and is left alone. A root
 * that is gone may have left its session behind (a shell that exited while its `sleep &` runs
 * on): Linux does not hand out a pid while a session still bears it, so what is left in that
 * session is the root's.
 */
function leftoversOf(ledger: Ledger, runId: string, tasks: readonly Task[]): Leftovers {
  const ids = new Set(tasks.map((t) => t.id));
  const found: Leftovers = { roots: [], exited: new Set() };
  if (ids.size === 0) return found;
  for (const { event } of ledger.events({ runId })) {
    if (event.type !== 'task.process' || !ids.has(event.taskId) || event.startTicks === null) continue;
    if (holderAlive({ pid: event.pid, startTicks: event.startTicks, doing: '', since: '' })) found.roots.push(event.pid);
    else if (startTicksOf(event.pid) === undefined) {
      found.roots.push(event.pid);
      found.exited.add(event.pid);
    }
  }
  return found;
}

async function endLeftovers(found: Leftovers, graceMs: number): Promise<number[]> {
  if (found.roots.length === 0) return [];
  const ended = await terminateTrees(found.roots, { graceMs, exited: found.exited });
  return [...ended.terminated, ...ended.killed];
}

/**
 * Closes what a run's dead process left open: `record` writes the outcome of its open tasks (in
 * one transaction, and returns undefined to change its mind), then the process trees those tasks
 * started and that outlived the runner — an agent runs in its own process group, so it does — are
 * ended (SIGTERM, then SIGKILL after `graceMs`): they would otherwise go on editing files nobody
 * watches. Everything is written before anything is awaited, so a caller may close the ledger
 * while the processes are being ended.
 */
export function closeOpenTasks<T>(ledger: Ledger, runId: string, graceMs: number, record: (open: Task[]) => T | undefined): { recorded: T | undefined; ended: Promise<number[]> } {
  let found: Leftovers = { roots: [], exited: new Set() };
  const recorded = ledger.transaction(() => {
    const open = openTasks(ledger, runId);
    const outcome = record(open);
    if (outcome !== undefined) found = leftoversOf(ledger, runId, open);
    return outcome;
  });
  return { recorded, ended: endLeftovers(found, graceMs) };
}

/**
 * Before a run resumes: every task left running by a process that died (a crash, `kill -9`, a
 * reboot) is failed with reason `interrupted` and its leftover processes are ended; the resumed
 * run runs the step again as its next attempt.
 */
export async function reconcileRun(ledger: Ledger, runId: string, graceMs: number): Promise<Reconciled> {
  const { recorded, ended } = closeOpenTasks(ledger, runId, graceMs, (open) => open.map((t) => ledger.transition(t.id, 'failed', { reason: 'interrupted' })));
  return { interrupted: recorded ?? [], ended: await ended };
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

export interface SettledRun extends Reconciled {
  run: Run;
}

/**
 * Runs the ledger says are running but no process runs — their runner was killed, crashed or the
 * machine rebooted — are recorded `interrupted`, with the tasks they left running (failed,
 * `interrupted`, as `prose resume` would), so that every view tells the truth and says to resume
 * them; the agents those tasks started and that outlived their runner are ended. The ledger is
 * written at once; the promise resolves when the processes are gone.
 */
export function settleOrphanedRuns(ledger: Ledger, runLock: string, graceMs = ORPHAN_GRACE_MS): Promise<SettledRun[]> {
  const pending = ledger.runningRuns().flatMap((run) => {
    if (runnerAlive(run, runLock)) return [];
    const { recorded, ended } = closeOpenTasks(ledger, run.id, graceMs, (open) => {
      // Judged again inside the transaction: a resume may have claimed it meanwhile.
      const now = ledger.run(run.id);
      if (now.status !== 'running' || runnerAlive(now, runLock)) return undefined;
      const interrupted = open.map((t) => ledger.transition(t.id, 'failed', { reason: 'interrupted' }));
      return { run: ledger.finishRun(run.id, 'interrupted', ORPHANED), interrupted };
    });
    return recorded === undefined ? [] : [ended.then((pids) => ({ ...recorded, ended: pids }))];
  });
  return Promise.all(pending);
}
