import type { Verdict } from './annotation.js';
import { createCheckpoint, listCheckpoints, markCheckpoint, type Created, type ListedCheckpoint } from './checkpoints.js';
import { DEFAULT_SETTINGS, type CheckpointSettings } from './policy.js';
import type { CheckpointInfo, HandleInfo } from './refs.js';
import { openRepo, type Repo } from './repo.js';
import { rollback, undoRollback, type RollbackOptions, type RollbackResult } from './rollback.js';
import { withScratchIndex } from './scratch-index.js';
import { snapshotInto, type Snapshot } from './snapshot.js';
import { ownHandles } from './target.js';

export type { Verdict } from './annotation.js';
export type { Created, ListedCheckpoint } from './checkpoints.js';
export type { Change } from './diff.js';
export type { CheckpointSettings, SnapshotPolicy, Skipped } from './policy.js';
export type { Snapshot } from './snapshot.js';
export { DEFAULT_SETTINGS, settingsFromConfig } from './policy.js';
export type { CheckpointInfo, HandleInfo } from './refs.js';
export type { RollbackPreview, RollbackResult } from './rollback.js';
export { BlockedPathsError, ConcurrentChangeError } from './rollback.js';

/**
 * The checkpoint library for the runner and the CLI: functions that return values and throw the
 * error taxonomy, never print. Each call looks at the repository afresh, because an agent may
 * commit (and so move HEAD) between two calls.
 */
export class Checkpoints {
  readonly cwd: string;
  readonly settings: CheckpointSettings;
  private readonly env: NodeJS.ProcessEnv;

  constructor(cwd: string, settings: CheckpointSettings = DEFAULT_SETTINGS, env: NodeJS.ProcessEnv = process.env) {
    this.cwd = cwd;
    this.settings = settings;
    this.env = env;
  }

  repo(): Promise<Repo> {
    return openRepo(this.cwd, this.env);
  }

  /** Snapshots the work tree (or tags a snapshot taken already) as a new checkpoint tag, and applies retention. */
  async create(options: { message?: string; runId?: string; verdict?: Verdict; now?: Date; snapshot?: Snapshot; signal?: AbortSignal } = {}): Promise<Created> {
    return createCheckpoint(await this.repo(), { ...options, policy: this.settings.policy, keep: this.settings.keep });
  }

  /** The work tree as it is now, as a git tree (nothing is tagged): what a checkpoint of it would hold. */
  async snapshot(): Promise<Snapshot> {
    const repo = await this.repo();
    return withScratchIndex(repo, (index) => snapshotInto(repo, index, { policy: this.settings.policy }));
  }

  /** Checkpoints newest first, with files changed against HEAD, and this work tree's undo handles. */
  async list(): Promise<{ checkpoints: ListedCheckpoint[]; handles: HandleInfo[] }> {
    const repo = await this.repo();
    const { checkpoints, listing } = await listCheckpoints(repo);
    return { checkpoints, handles: ownHandles(repo, listing) };
  }

  /** Records a verification verdict on a checkpoint. */
  async mark(name: string, verdict: Verdict): Promise<CheckpointInfo> {
    return markCheckpoint(await this.repo(), name, verdict);
  }

  /** The newest checkpoint marked good, if any. */
  async lastGood(): Promise<CheckpointInfo | undefined> {
    return (await this.list()).checkpoints.find((c) => c.verdict === 'good');
  }

  /** Previews, then (unless `dryRun` or `confirm` says no) rolls back; see `rollback`. */
  async rollback(options: Omit<RollbackOptions, 'policy'> = {}): Promise<RollbackResult> {
    return rollback(await this.repo(), { ...options, policy: this.settings.policy });
  }

  /** Returns to the state before the last rollback in this work tree. */
  async undo(options: Omit<RollbackOptions, 'policy' | 'target'> = {}): Promise<RollbackResult> {
    return undoRollback(await this.repo(), { ...options, policy: this.settings.policy });
  }
}
