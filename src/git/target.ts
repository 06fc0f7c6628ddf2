import { AbortError, UsageError } from '../errors.js';
import { oneLine } from './annotation.js';
import { findCheckpoint } from './checkpoints.js';
import { HANDLE_NAMESPACE, handleName } from './names.js';
import type { CheckpointInfo, HandleInfo, RefListing } from './refs.js';
import type { Repo } from './repo.js';

/** Where a rollback goes. */
export interface RollbackTarget {
  kind: 'checkpoint' | 'handle' | 'commit';
  /** As shown to people: `checkpoint-20260130-120000`, `pre-rollback/3`, or what was typed. */
  name: string;
  commit: string;
  tree: string;
  checkpoint?: CheckpointInfo;
  handle?: HandleInfo;
}

export function checkpointTarget(checkpoint: CheckpointInfo): RollbackTarget {
  return { kind: 'checkpoint', name: checkpoint.name, commit: checkpoint.commit, tree: checkpoint.tree, checkpoint };
}

export function handleTarget(handle: HandleInfo): RollbackTarget {
  return { kind: 'handle', name: handle.name, commit: handle.commit, tree: handle.tree, handle };
}

/** The undo handles that belong to this work tree, newest first. */
export function ownHandles(repo: Pick<Repo, 'root'>, listing: RefListing): HandleInfo[] {
  return listing.handles.filter((h) => h.worktree === oneLine(repo.root));
}

/** The default target: the newest checkpoint marked good, else the newest checkpoint. */
export function defaultTarget(listing: RefListing): RollbackTarget {
  const chosen = listing.checkpoints.find((c) => c.verdict === 'good') ?? listing.checkpoints[0];
  if (chosen === undefined) {
    throw new AbortError('There are no checkpoints to roll back to.', { hint: 'Take one with `choiros checkpoint`.' });
  }
  return checkpointTarget(chosen);
}

/** The newest undo handle of this work tree: where `rollback --undo` goes. */
export function undoTarget(repo: Pick<Repo, 'root'>, listing: RefListing): RollbackTarget {
  const handle = ownHandles(repo, listing)[0];
  if (handle === undefined) throw new AbortError('There is no rollback to undo in this work tree.', { hint: '`choiros checkpoints --all` lists undo handles.' });
  return handleTarget(handle);
}

/**
 * Resolves what was typed: a checkpoint name, an undo handle (`pre-rollback/3` or its full ref),
 * or — for a rollback to any commit's files, itself undoable — anything git can resolve to a
 * commit.
 */
export async function resolveTarget(repo: Repo, listing: RefListing, name: string): Promise<RollbackTarget> {
  const checkpoint = findCheckpoint(listing, name);
  if (checkpoint !== undefined) return checkpointTarget(checkpoint);
  const handle = listing.handles.find((h) => h.ref === name || h.name === name || h.ref === `${HANDLE_NAMESPACE}${name}`);
  if (handle !== undefined) return handleTarget(handle);
  // A leading dash would be read as an option by rev-parse: no revision starts with one.
  if (!name.startsWith('-')) {
    const result = await repo.git.exec(['rev-parse', '--revs-only', `${name}^{commit}`, `${name}^{tree}`]);
    const [commit, tree, ...rest] = result.stdout.trim().split('\n');
    const oid = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
    if (!result.failed && rest.length === 0 && commit !== undefined && tree !== undefined && oid.test(commit) && oid.test(tree)) {
      return { kind: 'commit', name, commit, tree };
    }
  }
  const known = listing.checkpoints.slice(0, 3).map((c) => c.name);
  throw new UsageError(`There is no checkpoint or commit named '${name}'.`, {
    hint: known.length === 0 ? 'There are no checkpoints yet.' : `The newest: ${known.join(', ')} (\`choiros checkpoints\` lists all).`,
  });
}

export { handleName };
