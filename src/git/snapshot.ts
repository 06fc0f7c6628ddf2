import { readIdentity, readWithIdentity, sameIdentity, type CacheNote, type FileIdentity, type NotedRecord } from './cache-note.js';
import { gitFailure, joinNul, splitNul } from './git.js';
import { CE_STAGE_MASK, CE_VALID, checksumMatches, findEntry, layoutIndex, readHiddenEntries, readIndexFile, type HiddenEntries, type IndexLayout } from './index-file.js';
import { folderMatcher, type SnapshotPolicy, type Skipped } from './policy.js';
import { hashBytes, zeroOid, type Repo } from './repo.js';
import { lossyConversions, rawTree } from './raw-files.js';
import { SCRATCH_CONFIG, type ScratchIndex } from './scratch-index.js';
import { compareWithUserIndex, entryRecord, indexInfoRecord, type CacheFix } from './stat-cache.js';
import { gitlinks, trackedSubmodules } from './submodules.js';
import { classifyUntracked, diskProbe, findEmptyDirs, planUntracked, type PathProbe, type UntrackedPlan } from './untracked.js';

/** The whole work tree as a git tree: tracked files as they are on disk, plus untracked ones. */
export interface Snapshot {
  tree: string;
  skipped: Skipped[];
  /** Empty folders, which a tree cannot hold. */
  emptyDirs: string[];
  /** Files stored without line-ending conversion, which a checkout would not undo (see raw-files.ts). */
  raw: string[];
  /** Submodules: their commit is recorded, their own uncommitted files are not. */
  submodules: string[];
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
  const parsed = readHiddenEntries(index.path, hashBytes(repo));
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
 * The paths `git add --verbose` reports as added (an entry whose object or mode changed) and as
 * removed (`add 'path'` and `remove 'path'` lines; names are printed raw, so a record runs until
 * the quote that ends a line followed by the next record).
 */
export function changesByAdd(stdout: string): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const record of stdout.split(/\n(?=(?:add|remove) ')/)) {
    const match = /^(add|remove) '([\s\S]*)'\n?$/.exec(record);
    if (match !== null) (match[1] === 'add' ? added : removed).push(match[2] ?? '');
  }
  return { added, removed };
}

/** The paths `git add --verbose` reports as removed. */
export function removedByAdd(stdout: string): string[] {
  return changesByAdd(stdout).removed;
}

/**
 * The user's index a snapshot was taken against: which file it was, and its layout when it was
 * read — when a note vouched for it (`note`), only if the next note needs entries of it the note
 * did not hold.
 */
interface UserBasis {
  identity: FileIdentity | undefined;
  layout: IndexLayout | undefined;
  note?: CacheNote;
}

interface Prepared {
  fix: CacheFix | undefined;
  user?: UserBasis;
}

/**
 * The fix the previous snapshot's note gives (see cache-note.ts), when both indexes are the very
 * files it was written for: the user's is not read. The kept index is (its checksum is checked
 * while git works): `kept` holds its bytes.
 */
function preparedByNote(repo: Repo, index: ScratchIndex): (Prepared & { kept: Buffer }) | undefined {
  if (index.origin !== 'cache') return undefined;
  const note = index.readNote();
  if (note === undefined) return undefined;
  const identity = readIdentity(repo.indexFile, hashBytes(repo));
  if (identity === undefined || !sameIdentity(identity, note.user)) return undefined;
  const kept = readWithIdentity(index.path, hashBytes(repo));
  if (kept === undefined || !sameIdentity(kept.identity, note.cache)) return undefined;
  const fix = { records: note.records.map((r) => r.record), extra: note.extra.map((path) => ({ path, name: Buffer.from(path) })) };
  return { fix, user: { identity, layout: undefined, note }, kept: kept.bytes };
}

/** The user's index laid out, with its identity — only if it is still `expected`, when given. */
function readUserIndex(repo: Repo, expected?: FileIdentity): UserBasis | undefined {
  const read = readWithIdentity(repo.indexFile, hashBytes(repo));
  // No index yet (a fresh repository): an empty one.
  const bytes = read?.bytes ?? readIndexFile(repo.indexFile);
  const layout = bytes === undefined ? undefined : layoutIndex(bytes, hashBytes(repo));
  if (layout === undefined) return undefined;
  const identity = expected === undefined || sameIdentity(read?.identity, expected) ? read?.identity : undefined;
  return { identity, layout };
}

/**
 * How the kept index must change to stand in for a copy of the user's index (see stat-cache.ts),
 * found by comparing the two; no fix when it cannot, and the scratch index is then reset to a
 * copy. Pure JavaScript: it runs while git lists untracked files.
 */
function compareIndexes(repo: Repo, index: ScratchIndex): Prepared {
  if (index.origin !== 'cache') return { fix: undefined };
  const user = readUserIndex(repo);
  const cache = readIndexFile(index.path);
  // The cache's ids are trusted for every file whose stat matches: a damaged one is not used.
  const cacheLayout = cache === undefined || !checksumMatches(cache, hashBytes(repo)) ? undefined : layoutIndex(cache, hashBytes(repo));
  const fix = user?.layout === undefined || cacheLayout === undefined ? undefined : compareWithUserIndex(user.layout, cacheLayout);
  if (fix === undefined) index.copyUserIndex(repo);
  return user === undefined ? { fix } : { fix, user };
}

/**
 * The note for the next snapshot (see cache-note.ts), or undefined when this one cannot vouch
 * for it. Against an unchanged user index, the comparison would find the kept index lacking the
 * user's entries `git add` removed (tracked files deleted in the work tree), differing from them
 * only where `git add` changed an entry (and where the stat still vouches for it), and holding as
 * extras exactly the untracked files this snapshot took. Those that are not plain files leave
 * the kept index before the next `add -u`, to be added afresh (see KEPT_EXTRA_MODE): the note
 * drops them, as the comparison would. The note puts back the user's entry for
 * every path `git add` removed or changed: where the comparison would trust the changed entry
 * instead, `add -u` hashes the file once more, with the same result. So the mode git derives for
 * a file — from the entry, under `core.fileMode=false` or `core.symlinks=false` — is derived from
 * the user's entry, as the comparison has it. A user index with flags, conflicts or submodules,
 * and a folder that replaced a file, are left to the comparison; and the kept index must hold as
 * many entries as that account says.
 */
function nextNote(repo: Repo, index: ScratchIndex, prepared: Prepared, user: UserBasis | undefined, userPaths: readonly string[], removed: ReadonlySet<string>, included: readonly string[], probe: PathProbe): CacheNote | undefined {
  if (prepared.fix === undefined || user?.identity === undefined) return undefined;
  const { layout } = user;
  if (layout !== undefined && ((layout.anyFlags & (CE_VALID | CE_STAGE_MASK)) !== 0 || layout.anyExtended !== 0 || layout.anyGitlink)) return undefined;
  const noted = new Map(user.note?.records.map((r) => [r.path, r]));
  const records: NotedRecord[] = [];
  for (const path of userPaths) {
    if (path.includes('\uFFFD')) return undefined;
    const i = layout === undefined ? -1 : findEntry(layout, Buffer.from(path));
    const record = i >= 0 && layout !== undefined ? { path, record: entryRecord(layout, i) } : noted.get(path);
    if (record === undefined) return undefined;
    records.push(record);
  }
  const cache = readIdentity(index.path, hashBytes(repo));
  const entries = user.identity.entries - userPaths.filter((path) => removed.has(path)).length + included.length;
  if (cache?.entries !== entries) return undefined;
  const extra: string[] = [];
  for (const path of included) {
    if (probe.plainFile(path)) extra.push(path);
    else records.push({ path, record: indexInfoRecord(0, zeroOid(repo), Buffer.from(path)) });
  }
  return { user: user.identity, cache, records, extra };
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
  const zero = zeroOid(repo);
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

/** The kept index a note vouched for failed its checksum, read while git worked: the snapshot starts over from a copy. */
class DamagedCacheError extends Error {}

async function record(repo: Repo, index: ScratchIndex, options: SnapshotOptions, recorded: () => void): Promise<Snapshot> {
  try {
    return await recordOnce(repo, index, options, recorded);
  } catch (error) {
    if (!(error instanceof DamagedCacheError)) throw error;
    index.copyUserIndex(repo);
    return recordOnce(repo, index, options, recorded);
  }
}

/**
 * The checksum of the kept index's bytes, computed once git is at work: a note vouches for which
 * file the kept index is, not for every byte in it (a sector gone bad), and git itself never
 * checks. (Without a note, the comparison checks it first.)
 */
async function checksumWhileGitWorks(bytes: Buffer | undefined, hashLength: number): Promise<boolean> {
  return bytes === undefined ? true : whileGitWorks(() => checksumMatches(bytes, hashLength));
}

async function recordOnce(repo: Repo, index: ScratchIndex, options: SnapshotOptions, recorded: () => void): Promise<Snapshot> {
  const recording: Recording = { repo, index, lossy: new Set() };
  const { policy } = options;
  const probe = options.probe ?? diskProbe(repo.root);
  // `add -u` is the longest step. With a note the kept index is ready at once, and it starts
  // first; without one, git lists untracked files while the two indexes are compared.
  const noted = preparedByNote(repo, index);
  // Read before git rewrites it, and checked while git works (see `checksumWhileGitWorks`).
  const intact = checksumWhileGitWorks(noted?.kept, hashBytes(repo));
  const listing = noted === undefined ? planUntracked(repo, policy, probe) : undefined;
  // Awaited below; a failure meanwhile must not count as unhandled.
  listing?.catch(() => undefined);
  let prepared: Prepared;
  let dropped: Set<string>;
  try {
    prepared = noted ?? compareIndexes(repo, index);
    dropped = prepared.fix === undefined ? new Set() : await applyCacheFix(repo, index, prepared.fix, policy, probe);
    if (prepared.fix === undefined) await clearHidingFlags(repo, index, probe);
  } catch (error) {
    await listing?.catch(() => undefined);
    // A damaged kept index explains any failure: the snapshot starts over.
    throw (await intact) ? error : new DamagedCacheError();
  }
  const updating = store(recording, ['add', '-u', '--verbose'], 'recording the work tree');
  const planning = listing ?? planUntracked(repo, policy, probe);
  // Whichever fails first waits for the other: git must be done with the scratch index before it
  // is put away.
  const [untracked, updated] = await Promise.all([
    planning.catch(async (error: unknown) => {
      await updating.catch(() => undefined);
      throw error;
    }),
    updating.catch(async (error: unknown) => {
      await planning.catch(() => undefined);
      throw error;
    }),
  ]).catch(async (error: unknown) => {
    throw (await intact) ? error : new DamagedCacheError();
  });
  if (!(await intact)) throw new DamagedCacheError();
  const changes = changesByAdd(updated);
  const { removed } = changes;
  const { fix } = prepared;
  await updateIndexInfo(repo, index, lateDrops(repo, fix, dropped, new Set(untracked.included)));
  const added = await addUntracked(recording, untracked, removed, keptExtras(fix, dropped, removed), policy, probe);
  recorded();
  const raw = [...recording.lossy].sort();
  if (raw.length > 0) index.reusable = false;
  const writing = raw.length === 0 ? repo.git.run([...SCRATCH_CONFIG, 'write-tree'], 'writing the snapshot tree', { index: index.path }).then((out) => out.trim()) : rawTree(repo, index.path, raw);
  // While git writes the tree: the entries of the user's index the next note needs.
  const extras = new Set(fix?.extra.map((e) => e.path));
  const userPaths = [...removed, ...changes.added].filter((path) => !extras.has(path));
  const held = new Set(prepared.user?.note?.records.map((r) => r.path));
  const user = prepared.user?.note !== undefined && userPaths.some((path) => !held.has(path)) ? readUserIndex(repo, prepared.user.identity) : prepared.user;
  const tree = await writing;
  index.note = added.byPlan && raw.length === 0 ? nextNote(repo, index, prepared, user, userPaths, new Set(removed), untracked.included, probe) : undefined;
  // Around the user's tracked files only, as from a copy of the user's index: an earlier snapshot's
  // untracked file deleted since leaves a folder the listing already judged (an ignored one is
  // not recorded).
  const emptyDirs = findEmptyDirs(untracked, [...removed.filter((path) => !extras.has(path)), ...added.removed], policy, probe);
  const skipped = [...untracked.skipped, ...added.skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tree, skipped, emptyDirs, raw, submodules: submodulesOf(repo, prepared.user) };
}

/** The user index's submodules: from its layout when it was read; none when a note vouched for it (a note is never written for an index with any). */
function submodulesOf(repo: Repo, user: UserBasis | undefined): string[] {
  if (user?.layout !== undefined) return gitlinks(user.layout);
  if (user?.note !== undefined) return [];
  return trackedSubmodules(repo.root, repo.indexFile, hashBytes(repo));
}

/** Runs `work` once the event loop has turned: after the git processes just started are on their way. */
async function whileGitWorks<T>(work: () => T): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  return work();
}

/**
 * Untracked files an earlier snapshot took that are still in the scratch index, brought up to
 * date by `add -u`: not added again. (Those the rules now leave out were dropped already, and an
 * entry the fix put back displaced any extra in its way: `update-index --index-info` replaces
 * a file `d` with an entry `d/a`, and a folder `e/` with an entry `e`.)
 */
function keptExtras(fix: CacheFix | undefined, dropped: ReadonlySet<string>, removed: readonly string[]): Set<string> {
  if (fix === undefined) return new Set();
  const gone = new Set(removed);
  const displaced = displacedBy(fix.records);
  return new Set(fix.extra.map((e) => e.path).filter((path) => !dropped.has(path) && !gone.has(path) && !path.includes('\uFFFD') && !displaced(path)));
}

/** Whether an entry at `path` is in the way of one of these `--index-info` records (a name that is not valid UTF-8 counts as in the way of everything). */
function displacedBy(records: readonly Buffer[]): (path: string) => boolean {
  const paths = new Set<string>();
  const folders = new Set<string>();
  for (const record of records) {
    const path = record.toString('utf8', record.indexOf(9) + 1, record.length - 1);
    if (path.includes('\uFFFD')) return () => true;
    paths.add(path);
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) folders.add(path.slice(0, at));
  }
  if (paths.size === 0) return () => false;
  return (path) => {
    if (folders.has(path)) return true;
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) if (paths.has(path.slice(0, at))) return true;
    return false;
  };
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
  kept: ReadonlySet<string>,
  policy: SnapshotPolicy,
  probe: PathProbe,
): Promise<Added> {
  const { repo, index } = recording;
  const shadowed = removed.filter((path) => probe.isDirectory(path));
  const inside = shadowed.length === 0 ? undefined : await listShadowed(repo, index, shadowed, policy, probe);
  const included = [...plan.included, ...(inside?.included ?? [])];
  if (included.some((path) => path.includes('\uFFFD'))) return { ...(await addEverything(recording, plan, shadowed, policy, probe)), byPlan: false };
  const adding = included.filter((path) => !kept.has(path));
  if (adding.length > 0) await store(recording, ['update-index', '--add', '-z', '--stdin'], 'recording untracked files', joinNul(adding));
  return { skipped: inside?.skipped ?? [], removed: [], byPlan: inside === undefined };
}

interface Added {
  skipped: Skipped[];
  /** Paths removed while adding (by the `add -A` fallback). */
  removed: string[];
  /** True when the untracked files in the index are exactly the plan's included ones. */
  byPlan: boolean;
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
