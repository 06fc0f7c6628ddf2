import { newestFirst, type CheckpointInfo, type HandleInfo, type RefUpdate } from './refs.js';

export const HANDLE_MIN_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface RetentionInput {
  checkpoints: readonly CheckpointInfo[];
  handles: readonly HandleInfo[];
  /** `checkpoints.keep`: how many checkpoints to keep in all. */
  keep: number;
  now: Date;
}

export interface Prune {
  checkpoints: CheckpointInfo[];
  handles: HandleInfo[];
}

/**
 * What retention deletes, decided without touching git:
 * - beyond `keep` checkpoints written by choiros, the oldest that are not good (unverified first, then bad) — a good
 *   checkpoint is never pruned, nor the newest, nor a tag choiros did not write;
 * - undo handles older than a week, except each work tree's newest, so the last rollback can
 *   always be undone.
 */
export function planRetention(input: RetentionInput): Prune {
  const ours = input.checkpoints.filter((c) => c.ours);
  const oldestFirst = newestFirst(ours).reverse();
  let excess = ours.length - Math.max(1, input.keep);
  const rank = (c: CheckpointInfo) => (c.verdict === 'unverified' ? 0 : 1);
  // The newest checkpoint is the one just taken: it always stays, whatever its verdict.
  const prunable = oldestFirst
    .slice(0, -1)
    .filter((c) => c.verdict !== 'good' && c.tagObject !== undefined)
    .sort((a, b) => rank(a) - rank(b));
  const checkpoints: CheckpointInfo[] = [];
  for (const candidate of prunable) {
    if (excess <= 0) break;
    checkpoints.push(candidate);
    excess -= 1;
  }

  const newestPerWorktree = new Map<string, number>();
  for (const h of input.handles) newestPerWorktree.set(h.worktree, Math.max(newestPerWorktree.get(h.worktree) ?? 0, h.number));
  const handles = input.handles.filter((h) => newestPerWorktree.get(h.worktree) !== h.number && input.now.getTime() - h.date.getTime() > HANDLE_MIN_AGE_MS);
  return { checkpoints, handles };
}

/** The compare-and-swap deletions for a prune. */
export function pruneUpdates(prune: Prune): RefUpdate[] {
  return [
    ...prune.checkpoints.map((c): RefUpdate => ({ kind: 'delete', ref: c.ref, old: c.tagObject ?? c.commit })),
    ...prune.handles.map((h): RefUpdate => ({ kind: 'delete', ref: h.ref, old: h.commit })),
  ];
}
