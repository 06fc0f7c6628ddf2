import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { readCacheNote, readIdentity, removeCacheNote, sameIdentity, writeCacheNote, type CacheNote } from './cache-note.js';
import type { Repo } from './repo.js';
import { sleep } from '../util/sleep.js';
import { storageError } from './storage-error.js';

/** Config for every command that writes a scratch index. */
export const SCRATCH_CONFIG = [
  // A split index would make our copy share (and refresh) the user's `sharedindex.*` files.
  '-c',
  'core.splitIndex=false',
  // With `core.ignoreStat`, git marks what it records assume-unchanged and never looks at those
  // files again: the next snapshot from the kept index would miss every edit to them.
  '-c',
  'core.ignoreStat=false',
];

/** Where choiros keeps its private index between snapshots (per work tree: the git dir is). */
function cacheFile(repo: Pick<Repo, 'gitDir'>): string {
  return join(repo.gitDir, 'choiros', 'index');
}

/**
 * A private index for one operation; the user's index is only ever read. It starts as choiros'
 * own index from the previous snapshot (see stat-cache.ts) when there is one, else as a copy of
 * the user's index — in both cases only a cache of file stats, so that unchanged files are not
 * hashed again. Afterwards it is kept for the next snapshot.
 *
 * The kept index is claimed with a rename, so two operations never share it: the second finds
 * none and starts from a copy. Renames keep the file's mtime, which git's racy-entry check
 * compares entry stats against.
 */
export class ScratchIndex {
  readonly path: string;
  /** `cache`: choiros' index from an earlier snapshot; `copy`: a copy of the user's index. */
  origin: 'cache' | 'copy';
  /**
   * False when the index must not stand in for the next snapshot: it holds files stored with a
   * line-ending conversion a checkout does not undo (see raw-files.ts) under their stats, and
   * `add -u` would take them as unchanged without the warning that names them raw.
   */
  reusable: boolean;
  /**
   * What the next snapshot needs to know to use this index without comparing it to the user's
   * (see cache-note.ts), as this operation's snapshot left it. Written beside the kept index only
   * if the index is still that file when it is put away — a rollback moves files with it since.
   */
  note: CacheNote | undefined;
  private readonly dir: string;
  private readonly cache: string;

  private constructor(dir: string, cache: string, origin: 'cache' | 'copy') {
    this.dir = dir;
    this.path = join(dir, 'index');
    this.cache = cache;
    this.origin = origin;
    this.reusable = true;
    this.note = undefined;
  }

  private get noteFile(): string {
    return `${this.cache}.note`;
  }

  /** The note the previous snapshot left beside the kept index, when this operation claimed that index (whether it vouches for it is for the snapshot to check). */
  readNote(): CacheNote | undefined {
    return this.origin === 'cache' ? readCacheNote(this.noteFile) : undefined;
  }

  static open(repo: Pick<Repo, 'indexFile' | 'gitDir'>): ScratchIndex {
    const cache = cacheFile(repo);
    const home = join(cache, '..');
    let dir: string | undefined;
    try {
      mkdirSync(home, { recursive: true });
      dir = mkdtempSync(join(home, `scratch-${process.pid}-`));
      const scratch = new ScratchIndex(dir, cache, 'cache');
      try {
        renameSync(cache, scratch.path);
      } catch {
        // None kept yet, or another operation holds it: start from the user's index.
        removeAbandoned(home);
        scratch.copyUserIndex(repo);
      }
      return scratch;
    } catch (error) {
      // A full disk or a read-only git dir: nothing was changed, and no half-copied index stays.
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      throw storageError(error, 'a snapshot', dir === undefined ? home : join(dir, 'index'));
    }
  }

  /** Starts over from a copy of the user's index (when the cache cannot be used). */
  copyUserIndex(repo: Pick<Repo, 'indexFile'>): void {
    this.origin = 'copy';
    rmSync(this.path, { force: true });
    if (!existsSync(repo.indexFile)) return;
    copyFileSync(repo.indexFile, this.path);
    // Git trusts a cached stat only for entries older than the index file itself ("racy git"):
    // a copy is newer than the original, which would make a file edited in the same second as
    // the user's last `git add` look unchanged. Dating the copy a second earlier keeps every
    // entry git would have re-checked, re-checked.
    const { atime, mtimeMs } = statSync(repo.indexFile);
    utimesSync(this.path, atime, Math.floor(mtimeMs / 1000) - 1);
  }

  /**
   * Keeps the index for the next snapshot (`keep`: it holds stats git recorded) and removes the
   * rest. After a failed operation it is not kept: were the index itself the cause (damaged in a
   * way its checksum does not show), keeping it would fail every snapshot after this one too.
   */
  dispose(keep = true): void {
    let kept = false;
    try {
      if (keep && this.reusable && existsSync(this.path)) {
        renameSync(this.path, this.cache);
        kept = true;
      }
    } catch {
      // Only a cache: the next snapshot starts from a copy.
    }
    const note = this.note;
    if (kept && note !== undefined && sameIdentity(readIdentity(this.cache, note.cache.trailer.length / 2), note.cache)) writeCacheNote(this.noteFile, note, this.dir);
    else removeCacheNote(this.noteFile);
    rmSync(this.dir, { recursive: true, force: true });
    // A process killed before it claimed the kept index left its folder beside it, where no
    // failed claim would ever look: swept here, at the end of every operation.
    try {
      removeAbandoned(join(this.dir, '..'));
    } catch {
      // Only litter: the next operation tries again.
    }
  }
}

/** Scratch folders left by processes that are gone (kill -9 in the middle of an operation). */
function abandonedFolders(home: string): string[] {
  return readdirSync(home)
    .filter((name) => {
      const pid = /^scratch-(\d+)-/.exec(name)?.[1];
      return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
    })
    .map((name) => join(home, name));
}

function removeAbandoned(home: string): void {
  for (const folder of abandonedFolders(home)) rmSync(folder, { recursive: true, force: true });
}

/** How long an operation waits for git still working for a process that is gone. */
const ORPHAN_WAIT_MS = 10_000;

/**
 * A rollback's move runs git in a process group of its own, so that a Ctrl-C cannot stop it
 * halfway: a choiros killed outright (kill -9, the OOM killer) leaves that git moving files. The
 * next operation — a resumed run's rollback, say — would snapshot a work tree still changing
 * under it, and refuse. So it waits, at most ten seconds, until no scratch index of a process
 * that is gone is locked by git (`index.lock`, held for the whole move).
 */
async function waitForOrphans(home: string): Promise<void> {
  const deadline = Date.now() + ORPHAN_WAIT_MS;
  while (Date.now() < deadline && orphanAtWork(home)) await sleep(50);
}

function orphanAtWork(home: string): boolean {
  try {
    return abandonedFolders(home).some((folder) => existsSync(join(folder, 'index.lock')));
  } catch {
    // No folder of ours yet: nobody to wait for.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` with a scratch index that is put away afterwards, whatever happens. */
export async function withScratchIndex<T>(repo: Pick<Repo, 'indexFile' | 'gitDir'>, fn: (index: ScratchIndex) => Promise<T>): Promise<T> {
  await waitForOrphans(join(cacheFile(repo), '..'));
  const index = ScratchIndex.open(repo);
  let succeeded = false;
  try {
    const result = await fn(index);
    succeeded = true;
    return result;
  } finally {
    index.dispose(succeeded);
  }
}
