import { AbortError, CancelledError, UsageError } from '../errors.js';
import { formatAnnotation, withVerdict, type Verdict } from './annotation.js';
import { countChanges } from './diff.js';
import { emptyDirLines } from './empty-dirs.js';
import { rawLines } from './raw-files.js';
import { withWorkTreeLock } from './lock.js';
import { gitFailure, isInterrupt } from './git.js';
import { checkpointName, firstFreeName, gitDate, tagRef } from './names.js';
import { commitTree, makeTag, readTag, tagObjectText } from './objects.js';
import { describeSkipped, type SnapshotPolicy, type Skipped } from './policy.js';
import { listRefs, updateRefs, type CheckpointInfo, type RefListing } from './refs.js';
import type { Repo } from './repo.js';
import { planRetention, pruneUpdates } from './retention.js';
import { withScratchIndex } from './scratch-index.js';
import { snapshotInto, type Snapshot } from './snapshot.js';

export interface CreateOptions {
  message?: string | undefined;
  runId?: string | undefined;
  verdict?: Verdict;
  policy: SnapshotPolicy;
  /** `checkpoints.keep`: older unverified checkpoints beyond this many are pruned. */
  keep: number;
  now?: Date;
  /** A snapshot taken already (of the very tree a verification judged): tagged as it is, not taken again. */
  snapshot?: Snapshot;
  /** Ctrl-C: honoured until the tag is written (CancelledError, no checkpoint); after that it is done. */
  signal?: AbortSignal;
}

export interface Created {
  name: string;
  ref: string;
  commit: string;
  tree: string;
  /** Left out of the snapshot (and never touched by a rollback). */
  skipped: Skipped[];
  /** Submodules: their commit is recorded, their own uncommitted files are not. */
  submodules: string[];
  /** Checkpoints and undo handles removed by retention. */
  pruned: string[];
}

/**
 * The snapshot commit's message: `git show` explains what the snapshot left out, and the last
 * paragraph lists its empty folders for a rollback to recreate.
 */
export function snapshotMessage(title: string, snapshot: Pick<Snapshot, 'skipped' | 'emptyDirs' | 'raw'>, policy: SnapshotPolicy): string {
  const paragraphs = [title];
  const { skipped, emptyDirs, raw } = snapshot;
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 50).map((s) => `  ${JSON.stringify(s.path)} (${describeSkipped(s, policy)})`);
    const more = skipped.length > shown.length ? [`  … and ${skipped.length - shown.length} more`] : [];
    paragraphs.push(`Not in this snapshot (a rollback never touches these):\n${[...shown, ...more].join('\n')}`);
  }
  const lines = [...emptyDirLines(emptyDirs), ...rawLines(raw)];
  if (lines.length > 0) paragraphs.push(lines.join('\n'));
  return `${paragraphs.join('\n\n')}\n`;
}

const MAX_NAME_ATTEMPTS = 5;

/**
 * Tags the snapshot with the first free name. `git tag` writes the tag object and creates the
 * ref in one process, refusing (atomically) if the name exists — then we try the next suffix.
 * Signing is off: an unattended run must never wait on a passphrase prompt.
 */
async function tagSnapshot(repo: Repo, commit: string, listing: RefListing, options: CreateOptions, now: Date): Promise<string> {
  const taken = new Set(listing.checkpoints.map((c) => c.name));
  const message = formatAnnotation({ message: options.message ?? '', verdict: options.verdict ?? 'unverified', runId: options.runId });
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const name = firstFreeName(checkpointName(now), taken);
    const result = await repo.git.exec(['-c', 'tag.gpgSign=false', 'tag', '-a', '--no-sign', '--cleanup=verbatim', '-F', '-', name, commit], {
      input: message,
      env: { GIT_COMMITTER_DATE: gitDate(now) },
    });
    if (!result.failed) return name;
    // A Ctrl-C at the terminal stops `git tag` too. The ref is written in one transaction, so the
    // tag either exists or not: a checkpoint made, or a cancellation with nothing made.
    if (result.signal === 'SIGINT' || options.signal?.aborted === true) {
      if (await tagged(repo, name, commit)) return name;
      throw new CancelledError();
    }
    if (!/already exists/.test(result.stderr)) throw gitFailure(result, `creating the tag ${name}`);
    taken.add(name);
  }
  throw new AbortError('Could not find a free checkpoint name: too many checkpoints created in the same second.');
}

/** Whether `name` tags `commit`: asked in a process group of its own, after a Ctrl-C has come. */
async function tagged(repo: Repo, name: string, commit: string): Promise<boolean> {
  const result = await repo.git.ownProcessGroup().exec(['rev-parse', '-q', '--verify', `${tagRef(name)}^{commit}`]);
  return !result.failed && result.stdout.trim() === commit;
}

/**
 * Snapshots the whole work tree as a commit and tags it `checkpoint-YYYYMMDD-HHMMSS`. The user's
 * index, HEAD, branches and files are left exactly as they were.
 */
export async function createCheckpoint(repo: Repo, options: CreateOptions): Promise<Created> {
  const now = options.now ?? new Date();
  return withWorkTreeLock(repo, 'taking a checkpoint', async () => {
    const taken = options.snapshot;
    // The refs first: git lists them while the snapshot's own JavaScript runs.
    const snapshotting = Promise.all([listRefs(repo), taken ?? withScratchIndex(repo, (index) => snapshotInto(repo, index, { policy: options.policy }))]);
    // A Ctrl-C at a terminal also stops git taking the snapshot: that is a cancellation, not a git failure.
    const [listing, snapshot] = await snapshotting.catch((error: unknown) => {
      throw isInterrupt(error, options.signal) ? new CancelledError() : error;
    });
    const title = options.message?.trim() || 'checkpoint';
    // Stopped by a Ctrl-C, `commit-tree` leaves at most a commit object nothing refers to: harmless.
    const commit = await commitTree(repo, snapshot.tree, snapshotMessage(title, snapshot, options.policy), now).catch((error: unknown) => {
      throw isInterrupt(error, options.signal) ? new CancelledError() : error;
    });
    if (options.signal?.aborted === true) throw new CancelledError();
    const name = await tagSnapshot(repo, commit, listing, options, now);
    const created: CheckpointInfo = {
      name,
      ref: tagRef(name),
      // Unknown without another git call, and not needed: the newest checkpoint is never pruned.
      tagObject: undefined,
      commit,
      tree: snapshot.tree,
      parent: repo.head,
      date: now,
      message: title,
      verdict: options.verdict ?? 'unverified',
      runId: options.runId,
      ours: true,
    };
    const pruned = await prune(repo, { ...listing, checkpoints: [created, ...listing.checkpoints] }, options.keep, now);
    return { name, ref: tagRef(name), commit, tree: snapshot.tree, skipped: snapshot.skipped, submodules: snapshot.submodules, pruned };
  });
}

/**
 * Applies retention. Best effort: a delete that loses a race (the checkpoint was just marked
 * good, or already pruned by someone else) fails the compare-and-swap and is retried next time.
 */
export async function prune(repo: Repo, listing: RefListing, keep: number, now: Date): Promise<string[]> {
  const plan = planRetention({ checkpoints: listing.checkpoints, handles: listing.handles, keep, now });
  const updates = pruneUpdates(plan);
  if (updates.length === 0) return [];
  const result = await updateRefs(repo, updates);
  return result.ok ? [...plan.checkpoints.map((c) => c.name), ...plan.handles.map((h) => h.name)] : [];
}

export interface ListedCheckpoint extends CheckpointInfo {
  /** Paths that differ between the checkpoint and HEAD. */
  filesChanged: number;
}

/** Checkpoints newest first, each with how many files differ from HEAD. */
export async function listCheckpoints(repo: Repo): Promise<{ checkpoints: ListedCheckpoint[]; listing: RefListing }> {
  const listing = await listRefs(repo);
  const counts = await countChanges(
    repo,
    listing.checkpoints.map((c) => [repo.headTree, c.tree] as const),
  );
  return { checkpoints: listing.checkpoints.map((c, i) => ({ ...c, filesChanged: counts[i] ?? 0 })), listing };
}

export function findCheckpoint(listing: RefListing, name: string): CheckpointInfo | undefined {
  const bare = name.startsWith('refs/tags/') ? name.slice('refs/tags/'.length) : name;
  return listing.checkpoints.find((c) => c.name === bare);
}

/**
 * Records a verification verdict by rewriting the tag's annotation (same name, commit and date;
 * only the `Choiros-Verdict` trailer changes). The swap is compare-and-swap, so a concurrent
 * prune or mark cannot be silently lost.
 */
export async function markCheckpoint(repo: Repo, name: string, verdict: Verdict): Promise<CheckpointInfo> {
  const listing = await listRefs(repo);
  const checkpoint = findCheckpoint(listing, name);
  if (checkpoint === undefined) throw new UsageError(`There is no checkpoint named '${name}'.`, { hint: 'List them with `choiros checkpoints`.' });
  if (!checkpoint.ours || checkpoint.tagObject === undefined) {
    throw new AbortError(`${checkpoint.name} was not made by choiros, so it has no verdict to change.`);
  }
  if (checkpoint.verdict === verdict) return checkpoint;
  const tag = await readTag(repo, checkpoint.tagObject);
  if (tag === undefined) throw new AbortError(`${checkpoint.name} is not a tag choiros can read.`);
  const rewritten = await makeTag(repo, tagObjectText({ ...tag, message: withVerdict(tag.message, verdict) }));
  const result = await updateRefs(repo, [{ kind: 'update', ref: checkpoint.ref, value: rewritten, old: checkpoint.tagObject }]);
  if (!result.ok) throw new AbortError(`${checkpoint.name} changed while marking it ${verdict}; try again.`);
  return { ...checkpoint, tagObject: rewritten, verdict };
}
