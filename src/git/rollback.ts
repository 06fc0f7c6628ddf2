import { AbortError, CancelledError, ExternalError } from '../errors.js';
import { formatTrailers, oneLine } from './annotation.js';
import { diskTreeProbe, findBlocked, type TreeProbe } from './blocked.js';
import { diffTrees, type Change } from './diff.js';
import { isInterrupt } from './git.js';
import { emptyDirLines, parseEmptyDirs, syncEmptyDirs } from './empty-dirs.js';
import { keepIgnored, sameAsTarget } from './ignored-by-target.js';
import { parseRawPaths, rawLines, restoreRawFiles } from './raw-files.js';
import { withWorkTreeLock } from './lock.js';
import { handleName, handleRef } from './names.js';
import { commitTree } from './objects.js';
import type { SnapshotPolicy, Skipped } from './policy.js';
import { listRefs, updateRefs, type RefListing } from './refs.js';
import { ensureNoOperationInProgress, type Repo } from './repo.js';
import { planRetention, pruneUpdates } from './retention.js';
import { SCRATCH_CONFIG, withScratchIndex, type ScratchIndex } from './scratch-index.js';
import { changedSince, recheckableSnapshotInto, snapshotInto, type RecheckableSnapshot, type Snapshot } from './snapshot.js';
import { defaultTarget, ownHandles, resolveTarget, undoTarget, type RollbackTarget } from './target.js';
import { uninterruptible } from '../process/finishing.js';
import { pathList } from '../util/path-list.js';

/** What a rollback will do, shown before anything moves. */
export interface RollbackPreview {
  target: RollbackTarget;
  /** The current work tree as a tree: what the undo handle will hold. */
  currentTree: string;
  /** Empty folders now, and in the target (recreated after the files move). */
  emptyDirs: { current: string[]; target: string[] };
  /** Files that change on disk (`delete`: removed, `create`: written, `modify`: rewritten). */
  changes: Change[];
  /** Submodules whose recorded commit differs: reported, their work trees are not moved. */
  submodules: Change[];
  /** Left out of the snapshot: never touched. */
  skipped: Skipped[];
  /** Paths the target needs but that hold files no snapshot has: the rollback refuses. */
  blocked: string[];
  /** The checkpoint was taken on another commit than today's HEAD (files move, HEAD does not). */
  headMoved: boolean;
  /** The work tree already matches the target: a rollback has nothing to do. */
  upToDate: boolean;
}

export interface RollbackOptions {
  policy: SnapshotPolicy;
  /** A checkpoint, an undo handle, or a commit; default: the newest good checkpoint, else the newest. */
  target?: string | undefined;
  /** Compute the preview only. */
  dryRun?: boolean;
  /** Told the preview before anything moves (to print it), without waiting for an answer. */
  onPreview?: (preview: RollbackPreview) => void;
  /**
   * Asked with the preview before anything moves; false stops (nothing changed). Whatever the
   * callback takes — a prompt, an agent — the whole work tree is checked again afterwards, and
   * the rollback refuses if anything changed meanwhile.
   */
  confirm?: (preview: RollbackPreview) => boolean | Promise<boolean>;
  now?: Date;
  /**
   * Ctrl-C: honoured until the undo handle is saved (nothing changed, CancelledError); from then
   * on the rollback finishes, so no work tree is left half-restored by a keystroke.
   */
  signal?: AbortSignal;
  /**
   * Told once the files have moved, before the process obeys a second Ctrl-C or a SIGTERM
   * deadline again (process/finishing.ts): what must record the rollback (a run's ledger) records
   * it here, or a process that exits the moment the move ends would leave the rollback done but
   * unrecorded. Synchronous work only.
   */
  onMoved?: (result: RollbackResult) => void;
  /** For tests: the file system checks of the blocked-path rule. */
  probe?: TreeProbe;
}

export interface RollbackResult {
  preview: RollbackPreview;
  applied: boolean;
  /** The undo handle (`pre-rollback/N`) holding the state before the rollback, when applied. */
  undo: { name: string; ref: string; commit: string } | undefined;
  /**
   * Files the preview listed as deleted that the target's own `.gitignore` ignores: kept, not
   * deleted (see ignored-by-target.ts). Empty unless a `.gitignore` changed.
   */
  kept: string[];
}


/** Files changed between the preview and the moment of the rollback: nothing was touched. */
export class ConcurrentChangeError extends AbortError {
  readonly paths: string[];

  constructor(paths: string[]) {
    super(`Files changed while preparing the rollback: ${pathList(paths)}.`, {
      hint: 'Nothing was rolled back. Stop whatever is writing to the work tree (an agent, a build) and try again.',
    });
    this.name = 'ConcurrentChangeError';
    this.paths = paths;
  }
}

/** The target needs paths that hold files no snapshot has: nothing was touched. */
export class BlockedPathsError extends AbortError {
  readonly paths: string[];

  constructor(target: string, paths: string[]) {
    super(`Rolling back to ${target} would overwrite files that no snapshot holds: ${pathList(paths)}.`, {
      hint: 'They are ignored, skipped (too big or in an excluded folder) or new. Move them elsewhere, then roll back again. Nothing was changed.',
    });
    this.name = 'BlockedPathsError';
    this.paths = paths;
  }
}

function handleMessage(target: RollbackTarget, repo: Repo, snapshot: Pick<Snapshot, 'emptyDirs' | 'raw'>): string {
  const title = `choiros: the work tree before rolling back to ${target.name}`;
  const lines = [...emptyDirLines(snapshot.emptyDirs), ...rawLines(snapshot.raw)];
  const body = lines.length === 0 ? title : `${title}\n\n${lines.join('\n')}`;
  return formatTrailers(body, [
    ['Handle', 'pre-rollback'],
    ['Target', target.name],
    ['Worktree', oneLine(repo.root)],
  ]);
}

/** What a snapshot commit's message records beyond its tree (nothing for a plain commit). */
async function recordedExtras(repo: Repo, target: RollbackTarget): Promise<{ emptyDirs: string[]; raw: string[] }> {
  if (target.kind === 'commit') return { emptyDirs: [], raw: [] };
  const message = await repo.git.run(['cat-file', 'commit', target.commit], 'reading the snapshot');
  return { emptyDirs: parseEmptyDirs(message), raw: parseRawPaths(message) };
}

/** A preview and what applying it needs: the scratch index holding the current state. */
interface Prepared {
  preview: RollbackPreview;
  snapshot: RecheckableSnapshot;
  index: ScratchIndex;
  listing: RefListing;
  /** The undo handle's commit, written while the preview is computed (only an object until its ref exists). */
  handleCommit: Promise<string>;
  /** The target's files stored without line-ending conversion: written back byte for byte after the move. */
  targetRaw: string[];
}

async function prepare(repo: Repo, index: ScratchIndex, listing: RefListing, target: RollbackTarget, snapshotting: Promise<RecheckableSnapshot>, options: RollbackOptions): Promise<Prepared> {
  const [snapshot, extras] = await Promise.all([snapshotting, recordedExtras(repo, target)]);
  const targetEmptyDirs = extras.emptyDirs;
  const handleCommit = options.dryRun === true ? Promise.resolve('') : commitTree(repo, snapshot.tree, handleMessage(target, repo, snapshot), options.now ?? new Date());
  // Awaited by `apply`; a failure is reported there, not as an unhandled rejection meanwhile.
  handleCommit.catch(() => undefined);
  const all = await diffTrees(repo, snapshot.tree, target.tree);
  const changes = all.filter((c) => !c.submodule);
  const parent = target.checkpoint?.parent;
  const emptyDirs = { current: snapshot.emptyDirs, target: targetEmptyDirs };
  const preview: RollbackPreview = {
    target,
    currentTree: snapshot.tree,
    emptyDirs,
    changes,
    submodules: all.filter((c) => c.submodule),
    skipped: snapshot.skipped,
    blocked: await blockedPaths(repo, target.tree, changes, options.probe),
    headMoved: target.kind === 'checkpoint' && parent !== repo.head,
    upToDate: changes.length === 0 && sameSet(emptyDirs.current, emptyDirs.target),
  };
  return { preview, snapshot, index, listing, handleCommit, targetRaw: extras.raw };
}

/** Paths the move would have to overwrite although no snapshot holds them (see blocked.ts), except those already holding exactly the target's content. */
async function blockedPaths(repo: Repo, tree: string, changes: readonly Change[], probe: TreeProbe | undefined): Promise<string[]> {
  const found = findBlocked(changes, probe ?? diskTreeProbe(repo.root));
  const same = await sameAsTarget(repo, tree, found);
  return found.filter((path) => !same.has(path));
}

type Handle = NonNullable<RollbackResult['undo']>;

/**
 * Creates `refs/choiros/pre-rollback/N` for the current state, N one above the highest. A Ctrl-C
 * at the terminal stops this `update-ref` too: nothing has moved yet, so that is a cancellation —
 * and should git have committed the ref before it died, the ref is taken back (in a process group
 * of its own, which the Ctrl-C does not reach), so nothing is left of the rollback.
 */
async function saveHandle(repo: Repo, listing: RefListing, commit: string, signal: AbortSignal | undefined): Promise<Handle> {
  let number = listing.handles.reduce((max, h) => Math.max(max, h.number), 0) + 1;
  for (let attempt = 0; attempt < 5; attempt++, number++) {
    const ref = handleRef(number);
    const result = await updateRefs(repo, [{ kind: 'create', ref, value: commit }]);
    if (result.ok) return { name: handleName(ref), ref, commit };
    const taken = /already exists/.test(result.stderr);
    if (result.signal === 'SIGINT' || signal?.aborted === true) {
      if (!taken) await updateRefs({ ...repo, git: repo.git.ownProcessGroup() }, [{ kind: 'delete', ref, old: commit }]);
      throw new CancelledError();
    }
    if (!taken) throw new AbortError(`Could not save the undo handle ${ref}: ${result.stderr.trim()}`);
  }
  throw new AbortError('Could not save an undo handle: other rollbacks keep taking the numbers.');
}

/**
 * Moves the work tree from the previewed state to the target, under the work tree lock: save the
 * undo handle, then `read-tree -m -u <target>` in the scratch index — which refuses, before it
 * writes anything, to overwrite or delete a file that differs from its entry there (the
 * snapshot) or to overwrite a file the snapshot does not hold. So nothing the undo handle lacks
 * is ever lost, however the rollback and other writers interleave.
 *
 * After a confirmation (which may have waited minutes), the whole work tree is checked against
 * the snapshot first, and any change — even to a file the rollback would not touch — stops it:
 * the person approved a preview of a state that no longer exists. Without one, the snapshot is
 * milliseconds old: a file changed meanwhile but not touched by the move is simply kept, as if it
 * had been changed just after the rollback.
 *
 * The scratch index holds exactly the current snapshot, so git's single-tree merge does what
 * DESIGN.md's two-way `read-tree -m -u <current> <target>` does (rewrite and delete only what
 * differs, each file checked against its index entry first) — and, reading one tree, it leaves a
 * complete cache of trees in the index, which the next snapshot's `write-tree` reuses.
 */
async function apply(repo: Repo, prepared: Prepared, options: RollbackOptions, now: Date, progress: { moving: boolean }): Promise<RollbackResult> {
  const { preview: plan, index, listing } = prepared;
  return withWorkTreeLock(repo, 'rolling back', async () => {
    // A prompt may have waited minutes: git may have started a rebase meanwhile.
    ensureNoOperationInProgress(repo, 'roll back');
    const [changed, commit] = await Promise.all([options.confirm === undefined ? [] : changedSince(repo, index, prepared.snapshot), prepared.handleCommit]);
    if (changed.length > 0) throw new ConcurrentChangeError(changed);
    const blocked = await blockedPaths(repo, plan.target.tree, plan.changes, options.probe);
    if (blocked.length > 0) throw new BlockedPathsError(plan.target.name, blocked);
    // The last moment to stop with nothing changed.
    if (options.signal?.aborted === true) throw new CancelledError();
    // From the handle on, the process waits for the move to end before it obeys a second
    // Ctrl-C or a SIGTERM deadline (process/finishing.ts).
    return uninterruptible(async () => {
      const handle = await saveHandle(repo, listing, commit, options.signal);
      progress.moving = true;
      const kept = await moveTo({ ...repo, git: repo.git.ownProcessGroup() }, prepared, handle, now);
      const result = { preview: plan, applied: true, undo: handle, kept };
      options.onMoved?.(result);
      return result;
    });
  });
}

/**
 * From the saved handle to the end: files move, raw files are written back, empty folders are
 * made, old handles pruned. Returns the files kept as ignored (`RollbackResult.kept`). `repo.git` runs every git command in a process group of its own, out
 * of reach of the terminal's Ctrl-C, which would stop git with the work tree half moved (or moved
 * but with the files stored without line-ending conversion not yet put back): once started, this
 * finishes.
 */
async function moveTo(repo: Repo, prepared: Prepared, handle: Handle, now: Date): Promise<string[]> {
  const { preview: plan, index, listing } = prepared;
  const moved = await repo.git.exec([...SCRATCH_CONFIG, 'read-tree', '-m', '-u', '--no-recurse-submodules', plan.target.tree], { index: index.path });
  if (moved.failed) {
    const refused = refusedPaths(moved.stderr);
    if (refused.length > 0) {
      // git checked every file before writing any: nothing moved, and the handle holds nothing new.
      await updateRefs(repo, [{ kind: 'delete', ref: handle.ref, old: handle.commit }]);
      throw new ConcurrentChangeError(refused);
    }
    const failure = { command: moved.command, exitCode: moved.exitCode, signal: moved.signal, stderr: moved.stderr };
    throw new ExternalError(`git could not move the work tree to ${plan.target.name}`, failure, {
      hint: `The state before the rollback is saved as ${handle.name}; \`choiros rollback --undo\` returns to it.`,
    });
  }
  const kept = await keepIgnored(repo, plan, prepared.snapshot, index.path);
  await restoreRawFiles(repo, plan.target.tree, prepared.targetRaw);
  const { current, target } = plan.emptyDirs;
  syncEmptyDirs(repo.root, current.filter((dir) => !kept.dirs.has(dir)), target);
  await pruneHandles(repo, listing, now);
  return kept.files;
}

/**
 * The paths `read-tree` refused to touch because they changed since the snapshot (`Entry 'x' not
 * uptodate`) or appeared where the target has a file (`Untracked working tree file 'x' would be
 * overwritten`, `Updating 'x' would lose untracked files in it`).
 */
export function refusedPaths(stderr: string): string[] {
  const refused: string[] = [];
  const patterns = [/^error: Entry '(.*)' not uptodate\. Cannot merge\.$/, /^error: Untracked working tree file '(.*)' would be (?:overwritten|removed) by merge\.$/, /^error: Updating '(.*)' would lose untracked files in it$/];
  for (const line of stderr.split('\n')) {
    for (const pattern of patterns) {
      const path = pattern.exec(line)?.[1];
      if (path !== undefined) refused.push(path);
    }
  }
  return refused;
}

async function pruneHandles(repo: Repo, listing: RefListing, now: Date): Promise<void> {
  const plan = planRetention({ checkpoints: [], handles: listing.handles, keep: Number.MAX_SAFE_INTEGER, now });
  await updateRefs(repo, pruneUpdates(plan));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((item) => set.has(item));
}

/** A snapshot no rollback will check again: `changedSince` is never called with it. */
function withoutRecheck(snapshot: Snapshot): RecheckableSnapshot {
  return { ...snapshot, leftOut: Promise.resolve([]) };
}

type ChooseTarget = (listing: RefListing) => RollbackTarget | Promise<RollbackTarget>;

async function rollbackTo(repo: Repo, choose: ChooseTarget, options: RollbackOptions): Promise<RollbackResult> {
  return withScratchIndex(repo, async (index) => {
    // The snapshot does not depend on the target: it is taken while the target is looked up
    // (the refs are asked for first, so git lists them while the snapshot's JavaScript runs).
    const listed = listRefs(repo);
    // Only a rollback that waits for a confirmation checks the work tree again (see `apply`):
    // without one, listing what the snapshot left out would walk the whole work tree for nothing,
    // beside the snapshot's own `write-tree`.
    const snapshotting = options.confirm === undefined ? snapshotInto(repo, index, { policy: options.policy }).then(withoutRecheck) : recheckableSnapshotInto(repo, index, { policy: options.policy });
    // Its failure is reported where it is awaited, not as an unhandled rejection meanwhile.
    snapshotting.catch(() => undefined);
    const progress = { moving: false };
    try {
      const listing = await listed;
      const target = await choose(listing);
      const prepared = await prepare(repo, index, listing, target, snapshotting, options);
      const plan = prepared.preview;
      if (options.dryRun === true || plan.upToDate) return { preview: plan, applied: false, undo: undefined, kept: [] };
      if (plan.blocked.length > 0) throw new BlockedPathsError(target.name, plan.blocked);
      options.onPreview?.(plan);
      if (options.confirm !== undefined && !(await options.confirm(plan))) return { preview: plan, applied: false, undo: undefined, kept: [] };
      return await apply(repo, prepared, options, options.now ?? new Date(), progress);
    } catch (error) {
      // A Ctrl-C at a terminal also stops the git commands taking the snapshot, which then fail:
      // with nothing moved yet, that is a cancellation, not a git failure to report.
      if (!progress.moving && isInterrupt(error, options.signal)) throw new CancelledError();
      throw error;
    } finally {
      // Let git finish with the scratch index (the snapshot, the listing of what it left out)
      // before it is put away.
      await snapshotting.then((snapshot) => snapshot.leftOut).catch(() => undefined);
    }
  });
}

/**
 * Restores the work tree to a checkpoint exactly: files the target lacks are removed, skipped
 * and ignored paths are never touched, and the state before is saved as an undo handle first.
 * The user's index, HEAD and branches are left as they are.
 */
export async function rollback(repo: Repo, options: RollbackOptions): Promise<RollbackResult> {
  ensureNoOperationInProgress(repo, 'roll back');
  const { target } = options;
  return rollbackTo(repo, (listing) => (target === undefined ? defaultTarget(listing) : resolveTarget(repo, listing, target)), options);
}

/**
 * Returns to the state before this work tree's last rollback, byte for byte. An undo is itself a
 * rollback with its own handle, so undoing twice is a redo.
 */
export async function undoRollback(repo: Repo, options: Omit<RollbackOptions, 'target'>): Promise<RollbackResult> {
  ensureNoOperationInProgress(repo, 'undo the rollback');
  return rollbackTo(repo, (listing) => undoTarget(repo, listing), options);
}

export { ownHandles };
