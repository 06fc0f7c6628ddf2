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
}

/** The file system questions classification asks; a port so the rules are tested without disk. */
export interface PathProbe {
  /** Size in bytes of a file or symlink (not followed), or undefined when it is gone. */
  size(path: string): number | undefined;
  /** True when the folder is a git repository of its own (it has a `.git`). */
  isRepository(folder: string): boolean;
  /** The empty folders at or below an untracked folder, skipping folders `skip` names. */
  emptyDirs(folder: string, skip: (path: string) => boolean): string[];
}

export interface Classified extends UntrackedPlan {
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
      }
    }
  }
  return { exclusions: [...exclusions], skipped: [...skipped.values()], expand };
}

export function diskProbe(root: string): PathProbe {
  return {
    size: (path) => {
      try {
        return lstatSync(join(root, path)).size;
      } catch {
        return undefined;
      }
    },
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
  if (first.expand.length === 0) return { exclusions: first.exclusions, skipped: first.skipped };
  const inner = splitNul(
    await repo.git.run([...LIST_UNTRACKED, '--', ...first.expand], 'listing untracked files', { env: { GIT_LITERAL_PATHSPECS: '1' } }),
  );
  const second = classifyUntracked(inner, first.expand, policy, probe);
  const skipped = [...first.skipped, ...second.skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { exclusions: [...first.exclusions, ...second.exclusions], skipped };
}

/**
 * The empty folders of the work tree, asked once the snapshot is in the scratch index: then the
 * folders git reports as untracked are exactly those holding no snapshotted file — empty ones,
 * ones whose tracked files were all deleted, ones holding only ignored or skipped files — and
 * only those are walked.
 */
export async function findEmptyDirs(repo: Repo, index: string, policy: SnapshotPolicy, probe: PathProbe = diskProbe(repo.root)): Promise<{ emptyDirs: string[]; leftOut: string[] }> {
  const leftOut = await listLeftOut(repo, index);
  const excluded = folderMatcher(policy);
  const skip = (path: string) => excluded(path) !== undefined || probe.isRepository(path);
  const found = leftOut.filter((e) => e.endsWith('/') && !skip(e)).flatMap((dir) => probe.emptyDirs(dir, skip));
  // A name that is not valid UTF-8 decodes with U+FFFD and could not be recreated by that name.
  const usable = found.filter((dir) => !dir.includes('\uFFFD'));
  return { emptyDirs: usable.sort().slice(0, MAX_EMPTY_DIRS), leftOut };
}

/** Untracked entries against a scratch index holding a snapshot: what the snapshot left out. */
export async function listLeftOut(repo: Repo, index: string): Promise<string[]> {
  return splitNul(await repo.git.run([...LIST_UNTRACKED, '--directory'], 'listing what the snapshot left out', { index }));
}
