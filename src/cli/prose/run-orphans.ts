import type { Project } from '../../config/load.js';
import type { Ledger } from '../../ledger/ledger.js';
import { ORPHAN_GRACE_MS, settleOrphanedRuns, type SettledRun } from '../../loop/reconcile.js';
import { runLockFile } from './run-lock.js';

/**
 * Once this process holds the project's run lock — perhaps taken over from a runner that died —
 * runs left `running` by a dead process are recorded interrupted and the agents they left
 * running are ended, before this run's own agents start: two runs' agents would edit the same
 * files. Other runs are reported through `warn`; the settling of `own` (a resumed run that was
 * never settled) is returned for the caller to report with its own reconciling.
 */
export async function settleLeftBehind(ledger: Ledger, project: Project, warn: (message: string) => void, own?: string): Promise<SettledRun | undefined> {
  const settled = await settleOrphanedRuns(ledger, runLockFile(project.root), project.config.stop_grace ?? ORPHAN_GRACE_MS);
  for (const { run, ended } of settled.filter((s) => s.run.id !== own)) {
    const processes = ended.length === 0 ? '' : `; the processes its agents left running were ended (pid ${ended.join(', ')})`;
    warn(`${run.id} was left running by a process that died: it is recorded interrupted${processes}. prose resume ${run.id} continues it.`);
  }
  return settled.find((s) => s.run.id === own);
}
