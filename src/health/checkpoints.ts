/**
 * Which checkpoint a rollback on bad health goes to: the newest whose health is healthy. Only
 * the selection lives here; the CLI lists checkpoints, scores their trees and rolls back.
 */
import { HEALTHY_AT } from './score.js';

export interface CheckpointInfo {
  name: string;
  /** ISO time. */
  createdAt: string;
  commit: string;
  /** A checkpoint verification marked bad is never a rollback target, whatever its files score. */
  verdict?: 'good' | 'bad' | 'unverified';
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

/** Each checkpoint's latest recorded score. */
function latestScores(scores: readonly RecordedScore[]): Map<string, number> {
  const latest = new Map<string, RecordedScore>();
  for (const s of scores) {
    const seen = latest.get(s.checkpoint);
    if (seen === undefined || s.time >= seen.time) latest.set(s.checkpoint, s);
  }
  return new Map([...latest].map(([name, s]) => [name, s.score]));
}

/**
 * The newest checkpoint not marked bad whose health is healthy: its latest recorded score, or —
 * for one never scored — `score(checkpoint)`, which scores its own tree now (and records it), so
 * a rollback has something to choose without anyone having scored checkpoints beforehand. Stops
 * at the first healthy one, so older checkpoints are scored only when newer ones are not healthy.
 */
export async function healthyCheckpoint(
  checkpoints: readonly CheckpointInfo[],
  scores: readonly RecordedScore[],
  score: (checkpoint: CheckpointInfo) => Promise<number | undefined>,
  healthyAt = HEALTHY_AT,
): Promise<RollbackChoice | undefined> {
  const latest = latestScores(scores);
  const ordered = [...checkpoints].filter((c) => c.verdict !== 'bad').sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  for (const checkpoint of ordered) {
    const value = latest.get(checkpoint.name) ?? (await score(checkpoint));
    if (value !== undefined && value >= healthyAt) return { checkpoint, score: value };
  }
  return undefined;
}
