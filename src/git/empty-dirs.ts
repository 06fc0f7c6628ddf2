import { lstatSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Git stores files, not folders, so an empty folder vanishes from any commit. Snapshots list
 * their empty folders in the commit message (`Choiros-Empty-Dir: "path"`, one per line), and a
 * rollback recreates the target's — which is what makes an undo give back an empty `logs/` an
 * app expects, not just the files.
 */

const PREFIX = 'Choiros-Empty-Dir: ';

/**
 * A safe relative path: no absolute paths, no `..`, nothing inside `.git` — and no U+FFFD,
 * which is what a name that is not valid UTF-8 decodes to: it cannot be recreated by that name.
 */
export function isSafe(path: string): boolean {
  const parts = path.split('/');
  return path !== '' && !path.startsWith('/') && !path.includes('\uFFFD') && parts.every((p) => p !== '' && p !== '.' && p !== '..') && parts[0] !== '.git';
}

/** `PREFIX "path"` lines for a snapshot's commit message (safe paths only). */
export function pathLines(prefix: string, paths: readonly string[]): string[] {
  return paths.filter(isSafe).map((path) => `${prefix}${JSON.stringify(path)}`);
}

/** The safe paths of a commit message's `PREFIX "path"` lines. */
export function parsePathLines(prefix: string, message: string): string[] {
  const paths: string[] = [];
  for (const line of message.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    try {
      const value: unknown = JSON.parse(line.slice(prefix.length));
      if (typeof value === 'string' && isSafe(value)) paths.push(value);
    } catch {
      // A hand-edited line is not worth failing a rollback over.
    }
  }
  return paths;
}

export function emptyDirLines(dirs: readonly string[]): string[] {
  return pathLines(PREFIX, dirs);
}

export function parseEmptyDirs(message: string): string[] {
  return parsePathLines(PREFIX, message);
}

function kindAt(path: string): 'dir' | 'other' | undefined {
  try {
    return lstatSync(path).isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

/** Creates `dir` folder by folder, never through a symlink or over a file. */
function makeDir(root: string, dir: string): void {
  let current = root;
  for (const part of dir.split('/')) {
    current = join(current, part);
    const kind = kindAt(current);
    if (kind === 'other') return;
    if (kind === undefined) mkdirSync(current);
  }
}

/**
 * Brings the set of empty folders from `before` to `after`: folders that were empty and are not
 * in the target go (rmdir only removes an empty folder, so no file can be lost), the target's
 * empty folders are created.
 */
export function syncEmptyDirs(root: string, before: readonly string[], after: readonly string[]): void {
  const keep = new Set(after);
  for (const dir of [...before].sort().reverse()) {
    if (keep.has(dir) || !isSafe(dir)) continue;
    // `a/b/c` recorded means `a` and `a/b` held nothing else either: remove up the chain.
    const parts = dir.split('/');
    for (let n = parts.length; n > 0; n--) {
      try {
        rmdirSync(join(root, ...parts.slice(0, n)));
      } catch {
        // Not empty (the target put files there, or it holds other things) or gone: stop here.
        break;
      }
    }
  }
  for (const dir of after) if (isSafe(dir)) makeDir(root, dir);
}
