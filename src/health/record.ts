import type { Ledger } from '../ledger/ledger.js';
import type { RecordedScore } from './checkpoints.js';
import type { StoredEvent } from '../ledger/model.js';
import type { HealthReport } from './score.js';

/** Health scores are events of their own stream, not of a run. */
export const HEALTH_STREAM = 'health';

/** Records a score, for a checkpoint when one is named (what a rollback on bad health looks for). */
export function recordHealth(ledger: Ledger, report: HealthReport, checkpoint: string | null): StoredEvent {
  const parts = Object.fromEntries(report.parts.map((p) => [p.name, p.score]));
  return ledger.append(HEALTH_STREAM, { type: 'health', score: report.score, status: report.status, checkpoint, parts });
}

export function recordedScores(ledger: Ledger): RecordedScore[] {
  return ledger.events({ runId: HEALTH_STREAM }).flatMap((e) => (e.event.type === 'health' && e.event.checkpoint !== null ? [{ checkpoint: e.event.checkpoint, score: e.event.score, time: e.time }] : []));
}

/** SQLite's own consistency check of the ledger file; undefined when it is sound. */
export function ledgerProblem(ledger: Ledger): string | undefined {
  const rows = ledger.db.pragma('quick_check') as { quick_check: string }[];
  const verdict = rows.map((r) => r.quick_check).join('; ');
  return verdict === 'ok' ? undefined : verdict;
}
