import type { Project } from '../../config/load.js';
import type { Checkpoints, RollbackResult as LibraryRollback } from '../../git/index.js';
import type { LoopGit } from '../../loop/loop-git.js';
import type { CheckpointPort, CheckpointResult, RollbackResult } from '../../runtime/ports.js';
import type { CommandContext } from '../command.js';

/**
 * `checkpoint` and `rollback` on the git checkpoint library: snapshots recorded with the run id,
 * `good` as the verdict rollback prefers; a rollback keeps its undo handle and restarts the
 * session's `restart_on_rollback` windows (api, ui) so servers serve the restored files. A bare
 * `rollback` goes to the run's own last good checkpoint, else to the tree the run started from —
 * never to an older good checkpoint of another run, which would drop work done before this run.
 */
export class GitCheckpoints implements CheckpointPort {
  constructor(
    private readonly project: Project,
    private readonly checkpoints: Checkpoints,
    private readonly runId: string,
    private readonly ctx: Pick<CommandContext, 'env' | 'self'>,
    private readonly loop: LoopGit | undefined,
  ) {}

  async create(options: { message: string | undefined; good: boolean }, signal: AbortSignal): Promise<CheckpointResult> {
    const created = await this.checkpoints.create({ message: options.message ?? '', runId: this.runId, verdict: options.good ? 'good' : 'unverified', signal });
    return { name: created.name, commit: created.commit, good: options.good };
  }

  /**
   * `signal`: a run stopped meanwhile stops before the work tree moves, never halfway through.
   * `onMoved` hears of the move before the windows restart, which can take seconds.
   */
  async rollback(target: string | undefined, signal?: AbortSignal, onMoved?: (moved: RollbackResult) => void): Promise<RollbackResult> {
    const to = target ?? (await this.loop?.restorePoint())?.name;
    const result = await this.checkpoints.rollback({
      target: to,
      ...(signal === undefined ? {} : { signal }),
      ...(onMoved === undefined ? {} : { onMoved: (moved: LibraryRollback) => onMoved(portResult(moved)) }),
    });
    if (result.applied) {
      const { restartAfterRollback } = await import('../commands/rollback.js');
      await restartAfterRollback(this.project, this.ctx);
    }
    return portResult(result);
  }
}

function portResult(result: LibraryRollback): RollbackResult {
  return { target: result.preview.target.name, undo: result.undo?.name ?? null, changed: result.preview.changes.length };
}
