import { newestFirst, type CheckpointInfo, type HandleInfo, type RefUpdate } from './refs.js';

export const HANDLE_MIN_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface RetentionInput {
  checkpoints: readonly CheckpointInfo[];
  handles: readonly HandleInfo[];
  /** `checkpoints.keep`: how many unverified checkpoints to keep. */
  keep: number;
  now: Date;
}

export interface Prune {
  checkpoints: CheckpointInfo[];
  handles: HandleInfo[];
}

/**
 * What retention deletes, decided without touching git:
 * - of the unverified checkpoints choiros wrote, the oldest beyond `keep` — a good checkpoint is
 *   never pruned, nor a bad one (the record of an attempt that failed verification, which a
 *   morning review may want), nor the newest checkpoint, nor a tag choiros did not write;
 * - undo handles older than a week, except each work tree's newest, so the last rollback can
 *   always be undone.
 */
export function planRetention(input: RetentionInput): Prune {
  const ours = newestFirst(input.checkpoints.filter((c) => c.ours));
  // The newest checkpoint is the one just taken: it always stays, whatever its verdict.
  const unverified = ours.slice(1).filter((c) => c.verdict === 'unverified' && c.tagObject !== undefined);
  const newestStays = ours[0]?.verdict === 'unverified' ? 1 : 0;
  const checkpoints = unverified.slice(Math.max(0, input.keep - newestStays)).reverse();

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
