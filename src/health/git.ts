import { run } from '../process/run.js';

/** Files git tracks in the work tree (relative paths), or undefined outside a repository. */
export async function trackedFiles(root: string): Promise<string[] | undefined> {
  const result = await run('git', ['ls-files', '-z', '--cached'], { cwd: root, timeoutMs: 10_000 });
  if (result.failed) return undefined;
  return result.stdout.split('\0').filter(Boolean);
}
