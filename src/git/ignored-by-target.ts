import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from './diff.js';
import { joinNul, splitNul } from './git.js';
import { restoreRawFiles, treeBlobs } from './raw-files.js';
import type { Repo } from './repo.js';
import type { RollbackPreview } from './rollback.js';
import { SCRATCH_CONFIG } from './scratch-index.js';

/**
 * A snapshot never holds an ignored file, so a tree lacking a path says nothing about a file its
 * own `.gitignore` ignored. A move that changes a `.gitignore` can therefore meet such a file on
 * either side:
 *
 * - It deletes it: the file is in the current snapshot (visible now), the target lacks it, and
 *   the target's rules ignore it — after a rollback to a checkpoint that ignored the file, or on
 *   the undo of a rollback that made an ignored file visible. The undo would not return to the
 *   state before the rollback byte for byte. `keepIgnored` puts such files back from the current
 *   snapshot once the target's rules are in place, and keeps such empty folders: ignored paths
 *   are never touched.
 * - It would write it: the target holds it, and the current rules ignore the file standing there
 *   (the undo of a rollback that kept a file its checkpoint ignores, as above). That is a blocked
 *   path — unless the file already holds exactly what the target has, when writing it loses
 *   nothing (`sameAsTarget`, which holds for any blocked path).
 */

/** A `.gitignore` among the changes: only then can a path's ignored state differ between the two sides. */
function changesIgnoreRules(changes: readonly Change[]): boolean {
  return changes.some((c) => c.path === '.gitignore' || c.path.endsWith('/.gitignore'));
}

/**
 * Which of `paths` git ignores now. Without --no-index: a path the user's index tracks is never
 * ignored. When git cannot answer, none is (the move's own result stands).
 */
async function ignoredNow(repo: Repo, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const checked = await repo.git.exec(['check-ignore', '-z', '--stdin'], { input: joinNul(paths) });
  // 1: none is ignored.
  return checked.exitCode === 0 ? new Set(splitNul(checked.stdout)) : new Set();
}

/** Nothing at `path`, and no file or symlink where one of its folders would go. */
function roomFor(root: string, path: string): boolean {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const stat = lstatSync(join(root, ...parts.slice(0, i)), { throwIfNoEntry: false });
    if (stat === undefined) return true;
    if (i === parts.length || !stat.isDirectory()) return false;
  }
  return true;
}

/** What a move keeps because the target's own rules ignore it. */
export interface KeptIgnored {
  /** Files the move deleted, put back. */
  files: string[];
  /** Empty folders the move would remove, left where they are. */
  dirs: Set<string>;
}

/**
 * After the move, with the target's `.gitignore` files in place: the files it deleted that git
 * now ignores (and the user's index does not track) come back from `from`, the snapshot taken
 * before the move — through git's checkout, so filters and line endings are applied as for any
 * file, and byte for byte for those `raw` names — and the empty folders it would remove that git
 * now ignores stay. One `check-ignore` answers for both; none runs unless a `.gitignore` changed.
 */
export async function keepIgnored(repo: Repo, plan: Pick<RollbackPreview, 'changes' | 'emptyDirs'>, from: { tree: string; raw: readonly string[] }, scratch: string): Promise<KeptIgnored> {
  if (!changesIgnoreRules(plan.changes)) return { files: [], dirs: new Set() };
  // A path the target put something else at (or under a symlink, which git would refuse to
  // check) stays deleted: the target's own content stands there.
  const deleted = plan.changes.filter((c) => c.kind === 'delete' && !c.submodule && roomFor(repo.root, c.path)).map((c) => c.path);
  const target = new Set(plan.emptyDirs.target);
  const leaving = plan.emptyDirs.current.filter((dir) => !target.has(dir));
  const ignored = await ignoredNow(repo, [...deleted, ...leaving.map((dir) => `${dir}/`)]);
  const dirs = new Set(leaving.filter((dir) => ignored.has(`${dir}/`)));
  const back = deleted.filter((path) => ignored.has(path));
  if (back.length === 0) return { files: [], dirs };
  const entries = await treeBlobs(repo, from.tree, back);
  const index = `${scratch}.ignored`;
  await repo.git.run([...SCRATCH_CONFIG, 'update-index', '-z', '--index-info'], 'putting back ignored files', { index, input: joinNul(entries.map((e) => `${e.mode} ${e.oid}\t${e.path}`)) });
  await repo.git.run([...SCRATCH_CONFIG, 'checkout-index', '-a', '-f'], 'putting back ignored files', { index });
  const files = entries.map((e) => e.path);
  const raw = new Set(from.raw);
  await restoreRawFiles(repo, from.tree, files.filter((path) => raw.has(path)));
  return { files, dirs };
}

/**
 * The blocked paths (see blocked.ts) that hold exactly what `tree` has there — the same bytes,
 * the same executable bit, or a symlink to the same target — and so may be written over.
 */
export async function sameAsTarget(repo: Repo, tree: string, blocked: readonly string[]): Promise<Set<string>> {
  if (blocked.length === 0) return new Set();
  const entries = await treeBlobs(repo, tree, blocked);
  const contents = await repo.git.blobs(entries.map((e) => e.oid));
  const same = new Set<string>();
  entries.forEach(({ mode, path }, i) => {
    const file = join(repo.root, path);
    const stat = lstatSync(file, { throwIfNoEntry: false });
    const content = contents[i] ?? Buffer.alloc(0);
    if (stat === undefined) return;
    if (mode === '120000' && stat.isSymbolicLink() && readlinkSync(file, { encoding: 'buffer' }).equals(content)) same.add(path);
    const executable = (stat.mode & 0o100) !== 0;
    if (mode.startsWith('100') && stat.isFile() && executable === (mode === '100755') && readFileSync(file).equals(content)) same.add(path);
  });
  return same;
}
