import type { RollbackResult } from '../runtime/ports.js';
import type { LoopGit } from './loop-git.js';

/** What a run stopped at a limit did with the work tree it left. */
export interface Unfinished {
  /** Where the tree went back to: the run's last good checkpoint, else its start. */
  target: string;
  /** The rollback's undo handle (`pre-rollback/N`). */
  undo: string | null;
  /** `refs/choiros/unfinished/<run>`: the tree as the run left it; it outlives undo-handle retention. */
  kept: string;
  /** Files the rollback changed. */
  changed: number;
}

/**
 * A run stopped at a limit — the same failure three times, the deadline, an agent's timeout —
 * leaves neither a failed candidate nor an agent's half-done edits in the tree for the morning:
 * a failed iteration is rolled back, whichever way the run ends. The stop comes before the
 * program's own `rollback` can run (the stuck question is asked right after the verification; a
 * deadline ends a session mid-edit), so the runner rolls back to where that `rollback` would
 * have gone, after keeping the tree as a ref. Nothing happens when the tree is there already.
 */
export async function rollBackUnfinished(git: LoopGit, why: string, rollback: (target: string) => Promise<RollbackResult>): Promise<Unfinished | undefined> {
  const [target, snapshot] = await Promise.all([git.restorePoint(), git.snapshot()]);
  if (snapshot.tree === target.tree) return undefined;
  const kept = await git.keepUnfinished(snapshot, why);
  const result = await rollback(target.name);
  return { target: result.target, undo: result.undo, kept, changed: result.changed };
}
