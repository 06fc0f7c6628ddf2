/**
 * Which checkpoint a rollback on bad health goes to: the newest whose recorded health score
 * was healthy. Only the selection lives here (pure); the CLI lists checkpoints and rolls back
 * with the checkpoint library.
 */
import { HEALTHY_AT } from './score.js';

export interface CheckpointInfo {
  name: string;
  /** ISO time. */
  createdAt: string;
  commit: string;
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
