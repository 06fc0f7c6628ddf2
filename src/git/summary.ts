import { parseAnnotation, type Verdict } from './annotation.js';
import { Git } from './git.js';
import { CHECKPOINT_PREFIX, TAG_NAMESPACE } from './names.js';

export interface GitSummary {
  /** The checked-out branch; null on a detached HEAD. */
  branch: string | null;
  lastCheckpoint: { name: string; verdict: Verdict; date: string; message: string } | null;
}

const FORMAT = '%(HEAD)%00%(refname)%00%(creatordate:unix)%00%(contents)%00';

/** Parses `for-each-ref` records of FORMAT: the current branch and the newest checkpoint tag. */
export function parseSummary(stdout: string): GitSummary {
  const fields = stdout.replace(/\n$/, '').split('\0');
  let branch: string | null = null;
  let newest: GitSummary['lastCheckpoint'] = null;
  let newestTime = -Infinity;
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [head = '', ref = '', time = '', contents = ''] = fields.slice(i, i + 4).map((f, j) => (j === 0 ? f.trim() : f.replace(/^\n/, '')));
    if (ref.startsWith('refs/heads/')) {
      if (head === '*') branch = ref.slice('refs/heads/'.length);
      continue;
    }
    const seconds = Number(time);
    if (seconds >= newestTime) {
      newestTime = seconds;
      const annotation = parseAnnotation(contents);
      newest = { name: ref.slice(TAG_NAMESPACE.length), verdict: annotation.verdict, date: new Date(seconds * 1000).toISOString(), message: annotation.message };
    }
  }
  return { branch, lastCheckpoint: newest };
}

/**
 * The branch and the newest checkpoint in one `git for-each-ref` (for `choiros status`, which
 * must stay fast); undefined outside a repository or without git.
 */
export async function gitSummary(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<GitSummary | undefined> {
  const git = new Git(cwd, env);
  const result = await git.exec(['for-each-ref', `--format=${FORMAT}`, 'refs/heads', `${TAG_NAMESPACE}${CHECKPOINT_PREFIX}*`]);
  if (result.failed) return undefined;
  const summary = parseSummary(result.stdout);
  if (summary.branch !== null || /\0refs\/heads\//.test(`\0${result.stdout}`)) return summary;
  // No branch exists yet (a repository with no commits): HEAD still names the one to come.
  const unborn = await git.exec(['symbolic-ref', '--short', '-q', 'HEAD']);
  return { ...summary, branch: unborn.failed ? null : unborn.stdout.trim() || null };
}
