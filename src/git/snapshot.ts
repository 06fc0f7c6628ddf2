import { gitFailure, joinNul, splitNul } from './git.js';
import { checksumMatches, layoutIndex, readHiddenEntries, readIndexFile, type HiddenEntries } from './index-file.js';
import { folderMatcher, type SnapshotPolicy, type Skipped } from './policy.js';
import type { Repo } from './repo.js';
import { lossyConversions, rawTree } from './raw-files.js';
import { SCRATCH_CONFIG, type ScratchIndex } from './scratch-index.js';
import { compareWithUserIndex, indexInfoRecord, type CacheFix } from './stat-cache.js';
import { classifyUntracked, diskProbe, findEmptyDirs, planUntracked, type PathProbe, type UntrackedPlan } from './untracked.js';

/** The whole work tree as a git tree: tracked files as they are on disk, plus untracked ones. */
export interface Snapshot {
  tree: string;
  skipped: Skipped[];
  /** Empty folders, which a tree cannot hold. */
  emptyDirs: string[];
  /** Files stored without line-ending conversion, which a checkout would not undo (see raw-files.ts). */
  raw: string[];
}

/** A snapshot a rollback checks again before it moves files (`changedSince`). */
export interface RecheckableSnapshot extends Snapshot {
  /**
   * The untracked entries against the scratch index right after `add -A` — everything left
   * out — listed while the rest of the snapshot and the preview are computed.
   */
  leftOut: Promise<string[]>;
}

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
 * How the kept index must change to stand in for a copy of the user's index (see stat-cache.ts);
 * undefined when it cannot, and the scratch index is then reset to a copy. Pure JavaScript: it
 * runs while git lists untracked files.
 */
function prepareCache(repo: Repo, index: ScratchIndex): CacheFix | undefined {
  if (index.origin !== 'cache') return undefined;
  const hashBytes = repo.objectFormat === 'sha1' ? 20 : 32;
  const user = readIndexFile(repo.indexFile);
  const cache = readIndexFile(index.path);
  const userLayout = user === undefined ? undefined : layoutIndex(user, hashBytes);
  // The cache's ids are trusted for every file whose stat matches: a damaged one is not used.
  const cacheLayout = cache === undefined || !checksumMatches(cache, hashBytes) ? undefined : layoutIndex(cache, hashBytes);
  const fix = userLayout === undefined || cacheLayout === undefined ? undefined : compareWithUserIndex(userLayout, cacheLayout);
  if (fix === undefined) index.copyUserIndex(repo);
  return fix;
}

async function updateIndexInfo(repo: Repo, index: ScratchIndex, records: readonly Buffer[]): Promise<void> {
  if (records.length === 0) return;
  await repo.git.run([...SCRATCH_CONFIG, 'update-index', '-z', '--index-info'], 'updating the private index', { index: index.path, input: Buffer.concat(records) });
}

/**
 * Brings the kept index to the user's entries before `add -u` looks at it. Untracked files an
 * earlier snapshot took (`extra`) stay, except those the rules now leave out by name or size —
 * `add -u` would otherwise hash a log file that grew to a gigabyte; the rest of the rules (an
 * ignore added since, a folder that became a repository) need the untracked listing, and drop
 * theirs afterwards (`lateDrops`). Returns the extras dropped here.
 */
async function applyCacheFix(repo: Repo, index: ScratchIndex, fix: CacheFix, policy: SnapshotPolicy, probe: PathProbe): Promise<Set<string>> {
  const excluded = folderMatcher(policy);
  const early = fix.extra.filter((e) => excluded(e.path) !== undefined || (probe.size(e.path) ?? 0) > policy.maxFileSize);
  await updateIndexInfo(repo, index, [...fix.records, ...dropRecords(repo, early)]);
  return new Set(early.map((e) => e.path));
}

function dropRecords(repo: Repo, extras: CacheFix['extra']): Buffer[] {
  const zero = '0'.repeat(repo.objectFormat === 'sha1' ? 40 : 64);
  return extras.map((e) => indexInfoRecord(0, zero, e.name));
}

/**
 * Extras the snapshot no longer includes (ignored now, skipped, deleted) are dropped. A name that
 * is not valid UTF-8 cannot be matched against the listing reliably: it is dropped, and the
 * fallback `add -A` takes it again if it should.
 */
function lateDrops(repo: Repo, fix: CacheFix | undefined, dropped: ReadonlySet<string>, included: ReadonlySet<string>): Buffer[] {
  if (fix === undefined) return [];
  return dropRecords(
    repo,
    fix.extra.filter((e) => !dropped.has(e.path) && (e.path.includes('\uFFFD') || !included.has(e.path))),
  );
}

/**
 * Records the work tree into `index` and writes it as a tree: every tracked file as it is on
 * disk (modified, deleted, staged or not), every untracked file that is not ignored, minus what
 * the policy skips. Nothing outside the scratch index and the object store is written.
 */
export function snapshotInto(repo: Repo, index: ScratchIndex, options: SnapshotOptions): Promise<Snapshot> {
  return record(repo, index, options, () => undefined);
}

/** A snapshot that also lists what it left out, for `changedSince` (rollbacks need it, checkpoints do not). */
export async function recheckableSnapshotInto(repo: Repo, index: ScratchIndex, options: SnapshotOptions): Promise<RecheckableSnapshot> {
  let leftOut: Promise<string[]> | undefined;
  try {
    const snapshot = await record(repo, index, options, () => {
      leftOut = listLeftOut(repo, index);
      // Awaited by `changedSince`; a failure is reported there, not as an unhandled rejection.
      leftOut.catch(() => undefined);
    });
    return { ...snapshot, leftOut: leftOut ?? listLeftOut(repo, index) };
  } catch (error) {
    // Let git finish with the scratch index before it is put away.
    await leftOut?.catch(() => undefined);
    throw error;
  }
}

/**
 * The recording, in two halves that run side by side: `add -u` brings every entry of the scratch
 * index (the user's tracked files, and the untracked files an earlier snapshot took) to what is
 * on disk, while git lists the untracked files the rules are applied to; then the included ones
 * are added by name. One `add -A` would walk the folders a second time, after the listing.
 */
/**
 * Commands that store files: git's warnings about line-ending conversions a checkout would not
 * undo (`core.safecrlf=warn`, whatever the user's setting) name the files to store as they are.
 */
const RECORD_CONFIG = [...SCRATCH_CONFIG, '-c', 'core.safecrlf=warn'];

interface Recording {
  repo: Repo;
  index: ScratchIndex;
  /** Files git converted irreversibly while storing them. */
  lossy: Set<string>;
}

async function store(recording: Recording, args: readonly string[], doing: string, input?: string): Promise<string> {
  const { repo, index, lossy } = recording;
  const result = await repo.git.exec([...RECORD_CONFIG, ...args], { index: index.path, ...(input === undefined ? {} : { input }) });
  if (result.failed) throw gitFailure(result, doing);
  for (const path of lossyConversions(result.stderr)) lossy.add(path);
  return result.stdout;
}

async function record(repo: Repo, index: ScratchIndex, options: SnapshotOptions, recorded: () => void): Promise<Snapshot> {
  const recording: Recording = { repo, index, lossy: new Set() };
  const { policy } = options;
  const probe = options.probe ?? diskProbe(repo.root);
  // git starts listing untracked files now; the kept index is compared meanwhile.
  const planning = planUntracked(repo, policy, probe);
  let fix: CacheFix | undefined;
  let dropped: Set<string>;
  try {
    fix = prepareCache(repo, index);
    dropped = fix === undefined ? new Set() : await applyCacheFix(repo, index, fix, policy, probe);
    if (fix === undefined) await clearHidingFlags(repo, index, probe);
  } catch (error) {
    await planning.catch(() => undefined);
    throw error;
  }
  const [untracked, updated] = await Promise.all([
    planning,
    store(recording, ['add', '-u', '--verbose'], 'recording the work tree').catch(async (error: unknown) => {
      await planning.catch(() => undefined);
      throw error;
    }),
  ]);
  const removed = removedByAdd(updated);
  await updateIndexInfo(repo, index, lateDrops(repo, fix, dropped, new Set(untracked.included)));
  const { skipped: late, removed: alsoRemoved } = await addUntracked(recording, untracked, removed, policy, probe);
  recorded();
  const raw = [...recording.lossy].sort();
  if (raw.length > 0) index.reusable = false;
  const tree = raw.length === 0 ? (await repo.git.run([...SCRATCH_CONFIG, 'write-tree'], 'writing the snapshot tree', { index: index.path })).trim() : await rawTree(repo, index.path, raw);
  const emptyDirs = findEmptyDirs(untracked, [...removed, ...alsoRemoved], policy, probe);
  const skipped = [...untracked.skipped, ...late].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tree, skipped, emptyDirs, raw };
}

/**
 * Adds the untracked files the plan includes, by name — and the contents of folders that replaced
 * a tracked file of the same name (`shadowed`): the listing could not see into them, since the
 * index named the file; `add -u` has dropped the file since. A name that is not valid UTF-8
 * cannot be passed back to git: then `add -A` does the adding (see `addEverything`).
 */
async function addUntracked(
  recording: Recording,
  plan: UntrackedPlan,
  removed: readonly string[],
  policy: SnapshotPolicy,
  probe: PathProbe,
): Promise<{ skipped: Skipped[]; removed: string[] }> {
  const { repo, index } = recording;
  const shadowed = removed.filter((path) => probe.isDirectory(path));
  const inside = shadowed.length === 0 ? undefined : await listShadowed(repo, index, shadowed, policy, probe);
  const included = [...plan.included, ...(inside?.included ?? [])];
  if (included.some((path) => path.includes('\uFFFD'))) return addEverything(recording, plan, shadowed, policy, probe);
  if (included.length > 0) await store(recording, ['update-index', '--add', '-z', '--stdin'], 'recording untracked files', joinNul(included));
  return { skipped: inside?.skipped ?? [], removed: [] };
}

/** The untracked files inside folders that replaced a tracked file, sorted by the rules. */
async function listShadowed(repo: Repo, index: ScratchIndex, folders: readonly string[], policy: SnapshotPolicy, probe: PathProbe): Promise<{ included: string[]; skipped: Skipped[] }> {
  const roots = folders.map((folder) => `${folder}/`);
  const entries = splitNul(
    await repo.git.run(['ls-files', '-z', '--others', '--exclude-standard', '--', ...roots], 'listing files in replaced folders', {
      index: index.path,
      env: { GIT_LITERAL_PATHSPECS: '1' },
    }),
  );
  const vetted = classifyUntracked(entries, roots, policy, probe);
  return { included: vetted.included, skipped: vetted.skipped };
}

/**
 * The fallback for names git prints in bytes that are not UTF-8: `add -A`, minus the plan's
 * exclusions, walks the folders again and adds every untracked file, whatever its name.
 */
async function addEverything(
  recording: Recording,
  plan: UntrackedPlan,
  shadowed: readonly string[],
  policy: SnapshotPolicy,
  probe: PathProbe,
): Promise<{ skipped: Skipped[]; removed: string[] }> {
  const { repo, index } = recording;
  const pathspecs = ['.', ...plan.exclusions.map((path) => `:(exclude,literal)${path}`)];
  const added = await store(recording, ['add', '-A', '--verbose', '--pathspec-from-file=-', '--pathspec-file-nul'], 'recording the work tree', joinNul(pathspecs));
  const removed = removedByAdd(added);
  const folders = [...new Set([...shadowed, ...removed.filter((path) => probe.isDirectory(path))])];
  const skipped = folders.length === 0 ? [] : await vetShadowed(repo, index, folders, policy, probe);
  return { skipped, removed };
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
 * Paths that changed since a recheckable snapshot was recorded into `index`: files it holds
 * that differ now (`diff-files` against the scratch index's fresh stats, content-checked when
 * racy) and untracked entries that came or went. Much cheaper than a second snapshot, as exact.
 */
export async function changedSince(repo: Repo, index: ScratchIndex, snapshot: RecheckableSnapshot): Promise<string[]> {
  const [modified, leftOut, leftOutBefore] = await Promise.all([
    repo.git.run(['diff-files', '-z', '--name-only', '--ignore-submodules=all'], 'checking the work tree', { index: index.path }),
    listLeftOut(repo, index),
    snapshot.leftOut,
  ]);
  const before = new Set(leftOutBefore);
  const now = new Set(leftOut);
  const appeared = leftOut.filter((entry) => !before.has(entry));
  const vanished = leftOutBefore.filter((entry) => !now.has(entry));
  return [...new Set([...splitNul(modified), ...appeared, ...vanished])].sort();
}
