import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { splitNul } from './git.js';
import { folderMatcher, type SnapshotPolicy, type Skipped } from './policy.js';
import type { Repo } from './repo.js';

/** What the snapshot must leave out, as pathspecs that can never name a tracked file. */
export interface UntrackedPlan {
  /** Untracked files and wholly untracked folders (ending in `/`) to exclude from `git add -A`. */
  exclusions: string[];
  skipped: Skipped[];
  /** The untracked files the snapshot takes (`git add -A` adds them). */
  included: string[];
  /** The wholly untracked folders that were looked into (where new empty folders may hide). */
  expanded: string[];
}

/** The file system questions classification asks; a port so the rules are tested without disk. */
export interface PathProbe {
  /** Size in bytes of a file or symlink (not followed), or undefined when it is gone. */
  size(path: string): number | undefined;
  /**
   * True for a regular file with no executable bit: what a new index entry records as 100644
   * whatever `core.fileMode` says (see KEPT_EXTRA_MODE in stat-cache.ts).
   */
  plainFile(path: string): boolean;
  /** True when the folder is a git repository of its own (it has a `.git`). */
  isRepository(folder: string): boolean;
  /** The empty folders at or below an untracked folder, skipping folders `skip` names. */
  emptyDirs(folder: string, skip: (path: string) => boolean): string[];
  /** True when `folder` exists and holds nothing at all. */
  isEmptyDir(folder: string): boolean;
  /** True when `path` is a folder (a symlink to one is not). */
  isDirectory(path: string): boolean;
}

export interface Classified extends Omit<UntrackedPlan, 'expanded'> {
  /** Wholly untracked folders whose files must be listed to check their sizes. */
  expand: string[];
}

/**
 * Sorts `git ls-files --others` entries (folders end with `/`) into what to skip and what to look
 * into. `whollyUntracked` are folders known to hold no tracked file: an excluded folder inside
 * one is excluded as a whole; elsewhere each entry is excluded alone, so a tracked file that
 * shares its folder is still captured.
 */
export function classifyUntracked(entries: readonly string[], whollyUntracked: readonly string[], policy: SnapshotPolicy, probe: PathProbe): Classified {
  const excludedFolder = folderMatcher(policy);
  const exclusions = new Set<string>();
  const skipped = new Map<string, Skipped>();
  const included: string[] = [];
  const expand: string[] = [];
  const insideUntracked = (folder: string) => whollyUntracked.some((d) => `${folder}/`.startsWith(d));
  for (const entry of entries) {
    const folder = excludedFolder(entry);
    if (folder !== undefined) {
      exclusions.add(insideUntracked(folder) ? `${folder}/` : entry);
      skipped.set(`${folder}/`, { path: `${folder}/`, reason: 'excluded' });
    } else if (entry.endsWith('/')) {
      if (probe.isRepository(entry)) {
        exclusions.add(entry);
        skipped.set(entry, { path: entry, reason: 'embedded-repository' });
      } else if (!whollyUntracked.includes(entry)) {
        expand.push(entry);
      }
    } else {
      const bytes = probe.size(entry);
      if (bytes !== undefined && bytes > policy.maxFileSize) {
        exclusions.add(entry);
        skipped.set(entry, { path: entry, reason: 'too-big', bytes });
      } else {
        included.push(entry);
      }
    }
  }
  return { exclusions: [...exclusions], skipped: [...skipped.values()], included, expand };
}

/**
 * The probe of a real work tree. Paths come from git, relative and normalized, so they are
 * joined to the root as text: `path.join` normalizes each one again, and a snapshot asks about
 * every untracked file. A file's stat is taken once per snapshot and remembered: the kept
 * untracked files are checked before the listing comes back, and the same files again when it
 * does (and once more for their modes at the end).
 */
export function diskProbe(root: string): PathProbe {
  const base = root.endsWith('/') ? root : `${root}/`;
  const stats = new Map<string, { size: number; plain: boolean } | undefined>();
  const stat = (path: string) => {
    if (stats.has(path)) return stats.get(path);
    let found: { size: number; plain: boolean } | undefined;
    try {
      const s = lstatSync(base + path, { throwIfNoEntry: false });
      found = s === undefined ? undefined : { size: s.size, plain: s.isFile() && (s.mode & 0o111) === 0 };
    } catch {
      found = undefined;
    }
    stats.set(path, found);
    return found;
  };
  return {
    size: (path) => stat(path)?.size,
    plainFile: (path) => stat(path)?.plain === true,
    isRepository: (folder) => existsSync(join(root, folder, '.git')),
    emptyDirs: (folder, skip) => {
      const found: string[] = [];
      const walk = (relative: string): void => {
        let entries;
        try {
          entries = readdirSync(join(root, relative), { withFileTypes: true });
        } catch {
          return;
        }
        if (entries.length === 0) found.push(relative);
        for (const entry of entries) {
          const path = `${relative}/${entry.name}`;
          if (entry.isDirectory() && entry.name !== '.git' && !skip(`${path}/`)) walk(path);
        }
      };
      walk(folder.replace(/\/$/, ''));
      return found;
    },
    isDirectory: (path) => {
      // Asked of every file `git add` removed, which mostly no longer exist: no exception for those.
      try {
        return lstatSync(base + path, { throwIfNoEntry: false })?.isDirectory() === true;
      } catch {
        return false;
      }
    },
    isEmptyDir: (folder) => {
      try {
        return readdirSync(join(root, folder)).length === 0;
      } catch {
        return false;
      }
    },
  };
}

/** At most this many empty folders are recorded per snapshot (each is a line of its message). */
export const MAX_EMPTY_DIRS = 2000;

const LIST_UNTRACKED = ['ls-files', '-z', '--others', '--exclude-standard'];

/**
 * Lists untracked, not ignored paths with `--directory`, so a folder nobody tracks (a fresh
 * `node_modules/`) is one entry instead of a hundred thousand; only wholly untracked folders that
 * are not excluded are listed file by file, to check their sizes.
 */
export async function planUntracked(repo: Repo, policy: SnapshotPolicy, probe: PathProbe = diskProbe(repo.root)): Promise<UntrackedPlan> {
  const top = splitNul(await repo.git.run([...LIST_UNTRACKED, '--directory'], 'listing untracked files'));
  const first = classifyUntracked(top, [], policy, probe);
  if (first.expand.length === 0) return { exclusions: first.exclusions, skipped: first.skipped, included: first.included, expanded: [] };
  const inner = splitNul(
    await repo.git.run([...LIST_UNTRACKED, '--', ...first.expand], 'listing untracked files', { env: { GIT_LITERAL_PATHSPECS: '1' } }),
  );
  const second = classifyUntracked(inner, first.expand, policy, probe);
  const skipped = [...first.skipped, ...second.skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { exclusions: [...first.exclusions, ...second.exclusions], skipped, included: [...first.included, ...second.included], expanded: first.expand };
}

/**
 * The work tree's empty folders (git records files, not folders). They hide in two places: in
 * the wholly untracked folders the listing looked into, and around tracked files just deleted —
 * which `git add --verbose` names among its removals: their folder may now be empty, or the
 * file's name may now be a folder's. All are checked on disk; only leaf folders are kept
 * (recreating a leaf recreates its parents).
 */
export function findEmptyDirs(plan: Pick<UntrackedPlan, 'expanded'>, removed: readonly string[], policy: SnapshotPolicy, probe: PathProbe): string[] {
  const excluded = folderMatcher(policy);
  const skip = (path: string) => excluded(path) !== undefined || probe.isRepository(path);
  const found = new Set(plan.expanded.flatMap((dir) => probe.emptyDirs(dir, skip)));
  const checked = new Set<string>();
  for (const path of removed) {
    // A deleted file whose name is now a folder's: that folder was hidden from the listing.
    if (probe.isDirectory(path) && !skip(`${path}/`)) for (const dir of probe.emptyDirs(`${path}/`, skip)) found.add(dir);
    const parts = path.split('/');
    for (let n = parts.length - 1; n > 0; n--) {
      const folder = parts.slice(0, n).join('/');
      if (checked.has(folder)) break;
      checked.add(folder);
      if (excluded(`${folder}/`) !== undefined || !probe.isEmptyDir(folder)) continue;
      found.add(folder);
      break;
    }
  }
  // A name that is not valid UTF-8 decodes with U+FFFD and could not be recreated by that name.
  return [...found].filter((dir) => !dir.includes('\uFFFD')).sort().slice(0, MAX_EMPTY_DIRS);
}
