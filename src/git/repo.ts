import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '../errors.js';
import { Git, gitFailure } from './git.js';

/** A git work tree as the checkpoint code sees it; paths are absolute. */
export interface Repo {
  git: Git;
  /** The top of the work tree: every snapshot covers all of it, whatever the cwd. */
  root: string;
  /** This work tree's git dir (`.git`, or `.git/worktrees/NAME` for a linked work tree). */
  gitDir: string;
  /** Where shared refs and objects live. */
  commonDir: string;
  /** The user's index (honours GIT_INDEX_FILE). choiros reads it and never writes it. */
  indexFile: string;
  /** The commit HEAD points to; undefined on an unborn branch (no commits yet). */
  head: string | undefined;
  /** HEAD's tree, or the empty tree when HEAD is unborn. */
  headTree: string;
  objectFormat: 'sha1' | 'sha256';
}

const EMPTY_TREE = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
} as const;

export function emptyTree(repo: Pick<Repo, 'objectFormat'>): string {
  return EMPTY_TREE[repo.objectFormat];
}

/** The length of an object id in bytes: 20 for SHA-1, 32 for SHA-256. */
export function hashBytes(repo: Pick<Repo, 'objectFormat'>): number {
  return repo.objectFormat === 'sha1' ? 20 : 32;
}

export function zeroOid(repo: Pick<Repo, 'objectFormat'>): string {
  return '0'.repeat(hashBytes(repo) * 2);
}

const PROBE = ['rev-parse', '--path-format=absolute', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index', '--show-object-format'];

/**
 * Finds the work tree around `cwd` in one git call (two on an unborn branch). Throws AbortError
 * outside a repository or in a bare one: there is no work tree to snapshot.
 */
export async function openRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Repo> {
  const git = new Git(cwd, env);
  let result = await git.exec([...PROBE, 'HEAD', 'HEAD^{tree}']);
  let unborn = false;
  if (result.failed && result.spawnError === undefined) {
    // `rev-parse HEAD` fails alike on an unborn branch and a broken HEAD; `--verify -q` tells
    // them apart by exiting 1 quietly only when HEAD simply has no commit yet.
    const verify = await git.exec([...PROBE, '--verify', '-q', 'HEAD^{commit}']);
    if (verify.exitCode === 1 && verify.stdout.trim().split('\n').length === 5) {
      result = verify;
      unborn = true;
    }
  }
  if (result.failed && !unborn) throw notARepository(cwd, result.stderr, () => gitFailure(result, 'finding the git repository'));
  const [top, gitDir, commonDir, indexFile, format, head, headTree] = result.stdout.trimEnd().split('\n');
  if (top === undefined || gitDir === undefined || commonDir === undefined || indexFile === undefined) {
    throw gitFailure(result, 'finding the git repository');
  }
  const objectFormat = format === 'sha256' ? 'sha256' : 'sha1';
  return {
    git: new Git(top, env),
    root: top,
    gitDir,
    commonDir,
    indexFile,
    head: unborn ? undefined : head,
    headTree: unborn || headTree === undefined ? EMPTY_TREE[objectFormat] : headTree,
    objectFormat,
  };
}

function notARepository(cwd: string, stderr: string, otherwise: () => Error): Error {
  if (/not a git repository/i.test(stderr)) {
    return new AbortError(`${cwd} is not inside a git repository.`, {
      hint: 'Checkpoints are git objects: run `git init` (a first commit is not needed) and try again.',
    });
  }
  if (/must be run in a work tree/i.test(stderr)) {
    return new AbortError(`${cwd} is not in a work tree (a bare repository, or inside .git): there is nothing to snapshot.`, {
      hint: 'Run choiros from the folder that holds your files.',
    });
  }
  return otherwise();
}

export type Operation = 'merge' | 'rebase' | 'am' | 'cherry-pick' | 'revert' | 'bisect';

/**
 * What git is in the middle of, judged from the marker files git itself uses. They live in the
 * per-work-tree git dir, so a rebase in another linked work tree does not count.
 */
export function operationInProgress(repo: Pick<Repo, 'gitDir'>): Operation | undefined {
  const has = (name: string) => existsSync(join(repo.gitDir, name));
  if (has('rebase-apply/applying')) return 'am';
  if (has('rebase-merge') || has('rebase-apply')) return 'rebase';
  if (has('MERGE_HEAD')) return 'merge';
  if (has('CHERRY_PICK_HEAD')) return 'cherry-pick';
  if (has('REVERT_HEAD')) return 'revert';
  if (has('sequencer/todo')) return 'cherry-pick';
  if (has('BISECT_LOG') || has('BISECT_START')) return 'bisect';
  return undefined;
}

const FINISH: Record<Operation, string> = {
  merge: 'git merge --continue (or git merge --abort)',
  rebase: 'git rebase --continue (or git rebase --abort)',
  am: 'git am --continue (or git am --abort)',
  'cherry-pick': 'git cherry-pick --continue (or git cherry-pick --abort)',
  revert: 'git revert --continue (or git revert --abort)',
  bisect: 'git bisect reset',
};

/** Refuses to move files under git's feet while it is resolving a merge, rebase or bisect. */
export function ensureNoOperationInProgress(repo: Pick<Repo, 'gitDir' | 'root'>, doing: string): void {
  const operation = operationInProgress(repo);
  if (operation === undefined) return;
  throw new AbortError(`Refusing to ${doing}: a ${operation} is in progress in ${repo.root}.`, {
    hint: `Rolling back now would mix the checkpoint with git's half-finished ${operation}. Nothing was changed.`,
    nextSteps: [`finish or abort it: ${FINISH[operation]}`, 'then run the rollback again'],
  });
}
