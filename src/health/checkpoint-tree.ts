import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../process/run.js';

export interface ExportedTree {
  /** The project folder as the checkpoint holds it. */
  root: string;
  /** Every file the checkpoint holds there (relative paths): what git tracks in that tree. */
  tracked: string[];
  remove(): void;
}

async function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('git', args, { cwd, env, timeoutMs: 60_000 });
  if (result.failed) throw new Error(`git ${args[0] ?? ''} failed: ${result.stderr.trim() || `exit ${String(result.exitCode)}`}`);
  return result.stdout;
}

/**
 * Writes the project's folder as a checkpoint's tree holds it into a temporary folder, so it can
 * be scored as it was, not as the work tree is now. `prefix` is the project's folder in the
 * repository ('' at its top). What counts as tracked is what the commit the checkpoint was taken
 * on (`parent`) tracked — as for the work tree, where git's index says what should be there — or,
 * on an unborn branch, the checkpoint's own files. A private index file is used: the user's index
 * is never touched.
 */
export async function exportTree(repoRoot: string, checkpoint: { tree: string; parent: string | undefined }, prefix: string, env: NodeJS.ProcessEnv): Promise<ExportedTree> {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-health-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const root = join(dir, 'tree');
    // An empty tree writes no file: the folder exists all the same.
    mkdirSync(root);
    const folder = prefix.replace(/\/+$/, '');
    const scratch = { ...env, GIT_INDEX_FILE: join(dir, 'index') };
    await git(['read-tree', `${checkpoint.tree}:${folder}`], repoRoot, scratch);
    await git(['checkout-index', '--all', `--prefix=${root}/`], repoRoot, scratch);
    const listing = checkpoint.parent === undefined ? ['ls-files', '-z', '--cached'] : ['ls-tree', '-r', '-z', '--name-only', `${checkpoint.parent}:${folder}`];
    const tracked = (await git(listing, repoRoot, checkpoint.parent === undefined ? scratch : env).catch(() => '')).split('\0').filter(Boolean);
    return { root, tracked, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
