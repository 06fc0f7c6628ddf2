import { BugError } from '../errors.js';
import { splitNul } from './git.js';
import type { Repo } from './repo.js';

export type ChangeKind = 'modify' | 'create' | 'delete';

/** One path a rollback changes on disk. */
export interface Change {
  kind: ChangeKind;
  path: string;
  /** A submodule (gitlink): its files are not moved, only reported. */
  submodule: boolean;
}

const GITLINK = '160000';

/**
 * Parses `git diff-tree -r -z --raw --no-renames` records (`:old new oldsha newsha S\0path\0`)
 * into changes as the work tree sees them: a type change (file ↔ symlink) is a modification.
 */
export function parseRawDiff(stdout: string): Change[] {
  const parts = splitNul(stdout);
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = (parts[i] ?? '').replace(/^[^:]*:/, '').split(' ');
    const path = parts[i + 1] ?? '';
    const [oldMode, newMode, , , status] = meta;
    const submodule = oldMode === GITLINK || newMode === GITLINK;
    const kind: ChangeKind = status === 'A' ? 'create' : status === 'D' ? 'delete' : 'modify';
    changes.push({ kind, path, submodule });
  }
  return changes;
}

/** How the work tree changes when it goes from tree `from` to tree `to`. */
export async function diffTrees(repo: Repo, from: string, to: string): Promise<Change[]> {
  const stdout = await repo.git.run(['diff-tree', '-r', '-z', '--raw', '--no-renames', '--no-abbrev', from, to], 'comparing snapshots');
  return parseRawDiff(stdout);
}

/**
 * Counts changed paths for many tree pairs in one `diff-tree --stdin`. Git echoes each input
 * line before its paths, so the output is cut at the echoes we know to expect.
 */
export function parseCounts(stdout: string, pairs: ReadonlyArray<readonly [string, string]>): number[] {
  const header = (pair: readonly [string, string] | undefined) => (pair === undefined ? undefined : `${pair[0]} ${pair[1]}\n`);
  const counts: number[] = [];
  let rest = stdout;
  for (let i = 0; i < pairs.length; i++) {
    const own = header(pairs[i]) ?? '';
    if (!rest.startsWith(own)) throw new BugError(`unexpected diff-tree output at pair ${i}`);
    rest = rest.slice(own.length);
    const next = header(pairs[i + 1]);
    let body = rest;
    if (next !== undefined) {
      const nul = rest.startsWith(next) ? -1 : rest.indexOf(`\0${next}`);
      if (nul < 0 && !rest.startsWith(next)) throw new BugError(`unexpected diff-tree output after pair ${i}`);
      body = rest.slice(0, nul + 1);
    }
    rest = rest.slice(body.length);
    counts.push(splitNul(body).length);
  }
  return counts;
}

export async function countChanges(repo: Repo, pairs: ReadonlyArray<readonly [string, string]>): Promise<number[]> {
  if (pairs.length === 0) return [];
  const input = pairs.map(([a, b]) => `${a} ${b}\n`).join('');
  const stdout = await repo.git.run(['diff-tree', '--stdin', '-r', '-z', '--name-only', '--no-renames'], 'counting changed files', { input });
  return parseCounts(stdout, pairs);
}

/** A changed path with the blob it has in the newer tree (null when deleted): content changes tell apart. */
export interface ChangedBlob {
  kind: ChangeKind;
  path: string;
  oid: string | null;
}

/** Like `diffTrees`, with each path's new blob id; submodules left out. */
export async function changedBlobs(repo: Repo, from: string, to: string): Promise<ChangedBlob[]> {
  const stdout = await repo.git.run(['diff-tree', '-r', '-z', '--raw', '--no-renames', '--no-abbrev', from, to], 'comparing snapshots');
  const parts = splitNul(stdout);
  const changed: ChangedBlob[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [oldMode, newMode, , newOid, status] = (parts[i] ?? '').replace(/^[^:]*:/, '').split(' ');
    if (oldMode === GITLINK || newMode === GITLINK) continue;
    const kind: ChangeKind = status === 'A' ? 'create' : status === 'D' ? 'delete' : 'modify';
    changed.push({ kind, path: parts[i + 1] ?? '', oid: kind === 'delete' ? null : (newOid ?? null) });
  }
  return changed;
}
