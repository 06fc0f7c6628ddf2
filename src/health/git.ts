import { run } from '../process/run.js';
import type { CheckpointInfo, CheckpointPort } from './checkpoints.js';

/** Files git tracks in the work tree (relative paths), or undefined outside a repository. */
export async function trackedFiles(root: string): Promise<string[] | undefined> {
  const result = await run('git', ['ls-files', '-z', '--cached'], { cwd: root, timeoutMs: 10_000 });
  if (result.failed) return undefined;
  return result.stdout.split('\0').filter(Boolean);
}

/**
 * Checkpoints as DESIGN.md stores them: annotated tags `checkpoint-*`, newest first. Read-only;
 * the checkpoint library replaces this port when the branches merge.
 */
export function gitCheckpoints(root: string): CheckpointPort {
  return {
    async list(): Promise<CheckpointInfo[]> {
      const result = await run('git', ['for-each-ref', '--sort=-creatordate', '--format=%(refname:short)%00%(creatordate:iso-strict)%00%(objectname)', 'refs/tags/checkpoint-*'], { cwd: root, timeoutMs: 10_000 });
      if (result.failed) return [];
      return result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name = '', created = '', commit = ''] = line.split('\0');
          return { name, createdAt: new Date(created).toISOString(), commit };
        });
    },
  };
}
