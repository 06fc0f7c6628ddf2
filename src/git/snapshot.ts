import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinNul, splitNul } from './git.js';
import { readHiddenEntries, type HiddenEntries } from './index-file.js';
import type { SnapshotPolicy, Skipped } from './policy.js';
import type { Repo } from './repo.js';
import { classifyUntracked, diskProbe, findEmptyDirs, planUntracked, type PathProbe } from './untracked.js';

/** The whole work tree as a git tree: tracked files as they are on disk, plus untracked ones. */
export interface Snapshot {
  tree: string;
  skipped: Skipped[];
  /** Empty folders, which a tree cannot hold. */
  emptyDirs: string[];
  /**
   * With `recheckable`: the untracked entries against the scratch index once the snapshot is in
   * it — everything left out — to list again before a rollback moves files (`changedSince`).
   */
  leftOut: string[] | undefined;
}

/**
 * A private index for one operation. It starts as a copy of the user's index — only as a cache
 * of file stats, so that unchanged files are not hashed again (on 20,000 files that is the
 * difference between 70 ms and 300 ms) — and is deleted afterwards. The user's index is only
 * ever read.
 */
export class ScratchIndex {
  readonly path: string;
  private readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, 'index');
  }

  static create(repo: Pick<Repo, 'indexFile'>): ScratchIndex {
    const scratch = new ScratchIndex(mkdtempSync(join(tmpdir(), 'choiros-index-')));
    if (existsSync(repo.indexFile)) {
      copyFileSync(repo.indexFile, scratch.path);
      // Git trusts a cached stat only for entries older than the index file itself ("racy git"):
      // a copy is newer than the original, which would make a file edited in the same second as
      // the user's last `git add` look unchanged. Dating the copy a second earlier keeps every
      // entry git would have re-checked, re-checked.
      const { atime, mtimeMs } = statSync(repo.indexFile);
      utimesSync(scratch.path, atime, Math.floor(mtimeMs / 1000) - 1);
    }
    return scratch;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn` with a scratch index that is removed afterwards, whatever happens. */
export async function withScratchIndex<T>(repo: Repo, fn: (index: ScratchIndex) => Promise<T>): Promise<T> {
  const index = ScratchIndex.create(repo);
  try {
    return await fn(index);
  } finally {
    index.dispose();
  }
}

/** Config for every command that writes a scratch index. */
export const SCRATCH_CONFIG = [
  // A split index would make our copy share (and refresh) the user's `sharedindex.*` files.
  '-c',
  'core.splitIndex=false',
];

/** Which entries of `index` hide edits: read from the file, or asked of git when unsure. */
async function hiddenEntries(repo: Repo, index: ScratchIndex): Promise<HiddenEntries> {
  const parsed = readHiddenEntries(index.path, repo.objectFormat === 'sha1' ? 20 : 32);
  if (parsed !== undefined) return parsed;
  const hidden: HiddenEntries = { assumeUnchanged: [], skipWorktree: [] };
  for (const line of splitNul(await repo.git.run(['ls-files', '-z', '-v'], 'reading index flags', { index: index.path }))) {
    const tag = line[0] ?? 'H';
    if (tag >= 'a' && tag <= 'z') hidden.assumeUnchanged.push(line.slice(2));
    if (tag === 'S' || tag === 's') hidden.skipWorktree.push(line.slice(2));
  }
  return hidden;
}

/**
 * `assume-unchanged` tells git not to look at a file, and `skip-worktree` not to write it: left
 * in our copy, a snapshot would miss edits to those files. The flags are cleared in the scratch
 * index only — except for a skip-worktree file that is absent, which is a sparse checkout's way
 * of saying "not checked out here", not a deletion.
 */
async function clearHidingFlags(repo: Repo, index: ScratchIndex, probe: PathProbe): Promise<void> {
  const hidden = await hiddenEntries(repo, index);
  const skipping = hidden.skipWorktree.filter((path) => probe.size(path) !== undefined);
  if (hidden.assumeUnchanged.length > 0) {
    await repo.git.run([...SCRATCH_CONFIG, 'update-index', '-z', '--no-assume-unchanged', '--stdin'], 'clearing assume-unchanged', {
      index: index.path,
      input: joinNul(hidden.assumeUnchanged),
    });
  }
  if (skipping.length > 0) {
    await repo.git.run([...SCRATCH_CONFIG, 'update-index', '-z', '--no-skip-worktree', '--stdin'], 'clearing skip-worktree', { index: index.path, input: joinNul(skipping) });
  }
}

export interface SnapshotOptions {
  policy: SnapshotPolicy;
  probe?: PathProbe;
  /** Also record what `changedSince` compares against (rollbacks need it, checkpoints do not). */
  recheckable?: boolean;
}

/**
 * The paths `git add --verbose` reports as removed (`remove 'path'` lines; names are printed raw,
 * so a record runs until the quote that ends a line followed by the next record).
 */
export function removedByAdd(stdout: string): string[] {
  const removed: string[] = [];
  for (const record of stdout.split(/\n(?=(?:add|remove) ')/)) {
    const match = /^remove '([\s\S]*)'\n?$/.exec(record);
    if (match !== null) removed.push(match[1] ?? '');
  }
  return removed;
}

/**
 * Records the work tree into `index` and writes it as a tree: every tracked file as it is on
 * disk (modified, deleted, staged or not), every untracked file that is not ignored, minus what
 * the policy skips. Nothing outside the scratch index and the object store is written.
 */
export async function snapshotInto(repo: Repo, index: ScratchIndex, options: SnapshotOptions): Promise<Snapshot> {
  const probe = options.probe ?? diskProbe(repo.root);
  const [untracked] = await Promise.all([planUntracked(repo, options.policy, probe), clearHidingFlags(repo, index, probe)]);
  const pathspecs = ['.', ...untracked.exclusions.map((path) => `:(exclude,literal)${path}`)];
  const added = await repo.git.run([...SCRATCH_CONFIG, 'add', '-A', '--verbose', '--pathspec-from-file=-', '--pathspec-file-nul'], 'recording the work tree', {
    index: index.path,
    input: joinNul(pathspecs),
  });
  const removed = removedByAdd(added);
  const shadowed = removed.filter((path) => probe.isDirectory(path));
  const late = shadowed.length === 0 ? [] : await vetShadowed(repo, index, shadowed, options.policy, probe);
  const [written, leftOut] = await Promise.all([
    repo.git.run(['write-tree'], 'writing the snapshot tree', { index: index.path }),
    options.recheckable === true ? listLeftOut(repo, index) : undefined,
  ]);
  const emptyDirs = findEmptyDirs(untracked, removed, options.policy, probe);
  const skipped = [...untracked.skipped, ...late].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tree: written.trim(), skipped, emptyDirs, leftOut };
}

/** Untracked entries against the scratch index: with a snapshot in it, what was left out. */
function listLeftOut(repo: Repo, index: ScratchIndex): Promise<string[]> {
  return repo.git.run(['ls-files', '-z', '--others', '--exclude-standard', '--directory'], 'listing what the snapshot left out', { index: index.path }).then(splitNul);
}

/**
 * A tracked file replaced by a folder of the same name hides that folder from
 * `ls-files --others` (the index still names the file), so its contents escape the size and
 * folder rules until `add -A` has dropped the file and added them. They are checked here, after
 * the fact, and what the rules exclude is taken back out of the scratch index. (A big file's blob
 * is already written by then: unreferenced, git's gc removes it.)
 */
async function vetShadowed(repo: Repo, index: ScratchIndex, folders: readonly string[], policy: SnapshotPolicy, probe: PathProbe): Promise<Skipped[]> {
  const roots = folders.map((folder) => `${folder}/`);
  const entries = splitNul(
    await repo.git.run(['ls-files', '-z', '--', ...roots], 'listing files in replaced folders', { index: index.path, env: { GIT_LITERAL_PATHSPECS: '1' } }),
  );
  const vetted = classifyUntracked(entries, roots, policy, probe);
  const drop = entries.filter((entry) => vetted.exclusions.some((x) => (x.endsWith('/') ? entry.startsWith(x) : entry === x)));
  if (drop.length === 0) return [];
  await repo.git.run([...SCRATCH_CONFIG, 'update-index', '-z', '--force-remove', '--stdin'], 'leaving out skipped files', { index: index.path, input: joinNul(drop) });
  return vetted.skipped;
}

/**
 * Paths that changed since a `recheckable` snapshot was recorded into `index`: files it holds
 * that differ now (`diff-files` against the scratch index's fresh stats, content-checked when
 * racy) and untracked entries that came or went. Much cheaper than a second snapshot, as exact.
 */
export async function changedSince(repo: Repo, index: ScratchIndex, snapshot: Snapshot): Promise<string[]> {
  const [modified, leftOut] = await Promise.all([
    repo.git.run(['diff-files', '-z', '--name-only', '--ignore-submodules=all'], 'checking the work tree', { index: index.path }),
    listLeftOut(repo, index),
  ]);
  const before = new Set(snapshot.leftOut);
  const now = new Set(leftOut);
  const appeared = leftOut.filter((entry) => !before.has(entry));
  const vanished = (snapshot.leftOut ?? []).filter((entry) => !now.has(entry));
  return [...new Set([...splitNul(modified), ...appeared, ...vanished])].sort();
}
