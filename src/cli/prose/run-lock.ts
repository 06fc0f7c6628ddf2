import { join } from 'node:path';
import { stateDir } from '../../config/paths.js';
import { AbortError } from '../../errors.js';
import { acquireLock } from '../../process/lock.js';

/** `.choiros/run.lock`: one run at a time per project. */
export function runLockFile(root: string): string {
  return join(stateDir(root), 'run.lock');
}

/**
 * Takes the project's run lock, or refuses: two runs would have their agents edit the same files
 * and roll each other back. A lock left by a process that died (or whose pid now belongs to a
 * later process) is taken over. Returns the release.
 */
export function takeRunLock(root: string, runId: string): () => void {
  const acquired = acquireLock(runLockFile(root), `running ${runId}`, { run: runId });
  if (acquired.ok) return acquired.release;
  const { holder } = acquired;
  const other = holder.detail?.run;
  if (other === runId) throw new AbortError(`Run ${runId} is still running (pid ${holder.pid}, since ${holder.since}).`, { hint: `Wait for it, or ask it to stop: choiros pause ${runId} / choiros cancel ${runId}.` });
  throw new AbortError(`Another run is going in this project: ${other ?? 'a run'} (pid ${holder.pid}, since ${holder.since}).`, {
    hint: 'One run at a time per project: two runs would edit the same files and roll each other back.',
    nextSteps: other === undefined ? [`wait for pid ${holder.pid} to finish`] : [`wait for it, or ask it to stop: choiros pause ${other} / choiros cancel ${other}`],
  });
}
