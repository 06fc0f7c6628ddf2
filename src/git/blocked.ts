import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from './diff.js';

export type EntryKind = 'file' | 'dir' | 'repository';

/** The file system questions the check asks; a port so the rules are tested without disk. */
export interface TreeProbe {
  /** What is at `path` (symlinks are not followed), or undefined. */
  kind(path: string): EntryKind | undefined;
  /** Every non-directory entry below a folder, as paths relative to the work tree. */
  filesUnder(folder: string): string[];
}

/**
 * Paths a rollback would have to overwrite although no snapshot holds them: ignored files, files
 * the policy skipped, or files created after the snapshot. Since git 2.34 `read-tree -u` treats
 * ignored files as expendable and overwrites them without a word, so choiros checks every path
 * the target adds — and each of its parent folders — itself, and refuses instead.
 */
export function findBlocked(changes: readonly Change[], probe: TreeProbe): string[] {
  // Everything the rollback deletes is in the current snapshot: it may go.
  const leaving = new Set(changes.filter((c) => c.kind === 'delete').map((c) => c.path));
  const blocked = new Set<string>();
  const checkedParents = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'create') continue;
    const parts = change.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (checkedParents.has(parent)) continue;
      checkedParents.add(parent);
      const kind = probe.kind(parent);
      // A file or symlink where the target needs a folder: fine only if the rollback removes it.
      if (kind !== undefined && kind !== 'dir' && !leaving.has(parent)) blocked.add(parent);
    }
    const kind = probe.kind(change.path);
    if (kind === undefined) continue;
    if (kind === 'dir') {
      // A folder where the target has a file: fine only if everything in it is being removed.
      for (const file of probe.filesUnder(change.path)) if (!leaving.has(file)) blocked.add(file);
    } else {
      blocked.add(change.path);
    }
  }
  return [...blocked].sort();
}

export function diskTreeProbe(root: string): TreeProbe {
  return {
    kind(path) {
      // Most paths a rollback creates do not exist yet: no exception thrown for each (they cost
      // more than the lstat).
      try {
        const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
        if (stat === undefined) return undefined;
        if (!stat.isDirectory()) return 'file';
        return lstatSync(join(root, path, '.git'), { throwIfNoEntry: false }) === undefined ? 'dir' : 'repository';
      } catch {
        return undefined;
      }
    },
    filesUnder(folder) {
      const out: string[] = [];
      const walk = (relative: string) => {
        for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
          const path = `${relative}/${entry.name}`;
          if (entry.isDirectory()) walk(path);
          else out.push(path);
        }
      };
      walk(folder);
      return out;
    },
  };
}
