import type { Project } from '../../config/load.js';
import type { Checkpoints } from '../../git/index.js';
import type { CheckpointPort, CheckpointResult, RollbackResult } from '../../runtime/ports.js';
import type { CommandContext } from '../command.js';

/**
 * `checkpoint` and `rollback` on the git checkpoint library: snapshots recorded with the run id,
 * `good` as the verdict rollback prefers; a rollback keeps its undo handle and restarts the
 * session's `restart_on_rollback` windows (api, ui) so servers serve the restored files.
 */
export class GitCheckpoints implements CheckpointPort {
  private library: Promise<Checkpoints> | undefined;

  constructor(
    private readonly project: Project,
    private readonly runId: string,
    private readonly ctx: Pick<CommandContext, 'env' | 'self'>,
  ) {}

  private checkpoints(): Promise<Checkpoints> {
    this.library ??= import('../../git/index.js').then(({ Checkpoints, settingsFromConfig }) => new Checkpoints(this.project.root, settingsFromConfig(this.project.config.checkpoints), this.ctx.env));
    return this.library;
  }

  async create(options: { message: string | undefined; good: boolean }): Promise<CheckpointResult> {
    const created = await (await this.checkpoints()).create({ message: options.message ?? '', runId: this.runId, verdict: options.good ? 'good' : 'unverified' });
    return { name: created.name, commit: created.commit, good: options.good };
  }

  async rollback(target: string | undefined): Promise<RollbackResult> {
    const result = await (await this.checkpoints()).rollback({ target });
    if (result.applied) {
      const { restartAfterRollback } = await import('../commands/rollback.js');
      await restartAfterRollback(this.project, this.ctx);
    }
    return { target: result.preview.target.name, undo: result.undo?.name ?? null, changed: result.preview.changes.length };
  }
}
