import { changedBlobs, type ChangedBlob } from '../git/diff.js';
import type { Checkpoints, Snapshot } from '../git/index.js';
import { commitTree } from '../git/objects.js';
import { listRefs, updateRefs } from '../git/refs.js';

/** The tree a run started from, kept until the run succeeds (a resumed run compares with it). */
export const baselineRef = (runId: string): string => `refs/choiros/baseline/${runId}`;
/** The attempt that came closest, kept when a run stops short (it outlives checkpoint retention). */
export const bestRef = (runId: string): string => `refs/choiros/best/${runId}`;

/** The work tree as a run stopped at a limit left it, before it was rolled back (see unfinished.ts). */
export const unfinishedRef = (runId: string): string => `refs/choiros/unfinished/${runId}`;

/** A tree of the loop's: what a candidate is judged against, or what a failed one goes back to. */
export interface Reference {
  /** As shown to people and accepted by `choiros rollback`. */
  name: string;
  commit: string;
  tree: string;
}

/**
 * What the agentic loop asks of git, on the checkpoint library: the run's reference tree,
 * snapshots of the candidate, what changed between two trees, a file as a tree holds it, and the
 * refs that keep a run's start and its best attempt.
 */
export class LoopGit {
  private baseline: Reference | undefined;

  constructor(
    readonly checkpoints: Checkpoints,
    readonly runId: string,
  ) {}

  /** The run's starting tree: snapshotted and kept as a ref the first time, read back after that. */
  async ensureBaseline(): Promise<Reference> {
    if (this.baseline !== undefined) return this.baseline;
    const repo = await this.checkpoints.repo();
    const ref = baselineRef(this.runId);
    const existing = await this.readBaseline();
    if (existing !== undefined) return (this.baseline = existing);
    const snapshot = await this.checkpoints.snapshot();
    const made = await commitTree(repo, snapshot.tree, `choiros: the work tree when ${this.runId} started\n`, new Date());
    const created = await updateRefs(repo, [{ kind: 'create', ref, value: made }]);
    if (!created.ok) {
      // Someone kept it meanwhile: theirs is the start, not the tree as it is now.
      const kept = await this.readBaseline();
      if (kept === undefined) throw new Error(`Cannot keep the run's starting tree as ${ref}: ${created.stderr.trim()}`);
      return (this.baseline = kept);
    }
    return (this.baseline = { name: ref, commit: made, tree: snapshot.tree });
  }

  /**
   * The starting tree kept by an earlier process of this run (a resumed run). One revision per
   * `rev-parse --verify`: given two it fails, and a resumed run would take the tree as it is now
   * — with every change its agents made — for its start.
   */
  private async readBaseline(): Promise<Reference | undefined> {
    const repo = await this.checkpoints.repo();
    const ref = baselineRef(this.runId);
    const commit = await repo.git.exec(['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
    if (commit.failed) return undefined;
    const tree = await repo.git.exec(['rev-parse', '--verify', '-q', `${ref}^{tree}`]);
    if (tree.failed) return undefined;
    return { name: ref, commit: commit.stdout.trim(), tree: tree.stdout.trim() };
  }

  /**
   * What a candidate is judged against: the newest good checkpoint, whichever run (or person)
   * took it, else the tree this run started from. Not the run's start when there is a good
   * checkpoint: an earlier run that stopped (waiting for approval, at a limit) leaves its agent's
   * changes in the tree, and a run started on them would take a weakened test or gate for the
   * reference and never ask about it.
   */
  async reference(): Promise<Reference> {
    const { checkpoints } = await listRefs(await this.checkpoints.repo());
    const good = checkpoints.find((c) => c.verdict === 'good');
    return good === undefined ? this.ensureBaseline() : { name: good.name, commit: good.commit, tree: good.tree };
  }

  /**
   * Where a failed iteration goes back to: the newest good checkpoint this run took, else the
   * tree it started from — never an older good checkpoint of another run, which would drop the
   * work done before this run started.
   */
  async restorePoint(): Promise<Reference> {
    const { checkpoints } = await listRefs(await this.checkpoints.repo());
    const good = checkpoints.find((c) => c.verdict === 'good' && c.runId === this.runId);
    return good === undefined ? this.ensureBaseline() : { name: good.name, commit: good.commit, tree: good.tree };
  }

  snapshot(): Promise<Snapshot> {
    return this.checkpoints.snapshot();
  }

  async changed(fromTree: string, toTree: string): Promise<ChangedBlob[]> {
    return changedBlobs(await this.checkpoints.repo(), fromTree, toTree);
  }

  /** A file as a tree holds it (a path from the top of the work tree); undefined when it has none. */
  async fileAt(tree: string, path: string): Promise<string | undefined> {
    const repo = await this.checkpoints.repo();
    const result = await repo.git.exec(['cat-file', 'blob', `${tree}:${path}`]);
    return result.failed ? undefined : result.stdout;
  }

  /** `git diff --stat` between two trees, as git prints it. */
  async diffStat(fromTree: string, toTree: string): Promise<string> {
    const repo = await this.checkpoints.repo();
    const result = await repo.git.exec(['diff', '--stat=100,70', '--no-color', '--no-renames', fromTree, toTree]);
    return result.failed ? '' : result.stdout;
  }

  /** Keeps a failed candidate as a checkpoint marked bad: named in the digest, restorable, pruned like any. */
  async keep(snapshot: Snapshot, message: string): Promise<{ name: string; commit: string }> {
    const created = await this.checkpoints.create({ message, runId: this.runId, verdict: 'bad', snapshot });
    return { name: created.name, commit: created.commit };
  }

  /** Points `refs/choiros/best/<run>` at a commit (moving it if it exists). */
  async keepBest(commit: string): Promise<string> {
    const repo = await this.checkpoints.repo();
    const ref = bestRef(this.runId);
    await repo.git.run(['update-ref', ref, commit], 'keeping the best attempt');
    return ref;
  }

  /** Keeps a snapshot as `refs/choiros/unfinished/<run>` (moving it if it exists). */
  async keepUnfinished(snapshot: Snapshot, why: string): Promise<string> {
    const repo = await this.checkpoints.repo();
    const ref = unfinishedRef(this.runId);
    const commit = await commitTree(repo, snapshot.tree, `choiros: the work tree when ${this.runId} stopped (${why})\n`, new Date());
    await repo.git.run(['update-ref', ref, commit], 'keeping the unfinished work tree');
    return ref;
  }

  /** A run that succeeded needs its starting tree no more. */
  async dropBaseline(): Promise<void> {
    const repo = await this.checkpoints.repo();
    await repo.git.exec(['update-ref', '-d', baselineRef(this.runId)]);
  }
}
