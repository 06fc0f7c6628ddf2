/**
 * Which checkpoint a rollback on bad health goes to: the newest whose recorded health score
 * was healthy. The checkpoint library (git/) is built on another branch, so it is reached
 * through this small port; only the selection lives here.
 */
import { AbortError } from '../errors.js';
import { HEALTHY_AT } from './score.js';

export interface CheckpointInfo {
  name: string;
  /** ISO time. */
  createdAt: string;
  commit: string;
}

export interface CheckpointPort {
  /** Newest first. */
  list(): Promise<CheckpointInfo[]>;
}

/** A score recorded for a checkpoint (a `health` ledger event naming it). */
export interface RecordedScore {
  checkpoint: string;
  score: number;
  time: string;
}

export interface RollbackChoice {
  checkpoint: CheckpointInfo;
  score: number;
}

/** The newest checkpoint whose latest recorded score is healthy, if any. */
export function lastHealthyCheckpoint(checkpoints: readonly CheckpointInfo[], scores: readonly RecordedScore[], healthyAt = HEALTHY_AT): RollbackChoice | undefined {
  const latest = new Map<string, RecordedScore>();
  for (const s of scores) {
    const seen = latest.get(s.checkpoint);
    if (seen === undefined || s.time >= seen.time) latest.set(s.checkpoint, s);
  }
  const ordered = [...checkpoints].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  for (const checkpoint of ordered) {
    const score = latest.get(checkpoint.name);
    if (score !== undefined && score.score >= healthyAt) return { checkpoint, score: score.score };
  }
  return undefined;
}

/**
 * THE ROLLBACK CALL, to be wired to the checkpoint library after the branches merge: it must
 * snapshot the current tree as the undo handle and roll the work tree back to `name`, exactly as
 * `choiros rollback NAME --yes` does. Until then it refuses and says what to run.
 */
export async function rollbackToCheckpoint(_root: string, name: string): Promise<{ undo: string }> {
  throw new AbortError(`Automatic rollback is not available in this build; checkpoint ${name} was chosen.`, {
    hint: 'Roll back by hand (it can be undone): the checkpoint library is not wired to `choiros health` yet.',
    nextSteps: [`choiros rollback ${name}`],
  });
}
