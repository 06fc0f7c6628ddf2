import type { PlayReport } from '../play/model.js';
import type { Redactor } from '../notify/redact.js';
import { DashboardLog } from './dashboard-log.js';
import type { DashboardSnapshot } from './play-dashboard-screen.js';
import { dashboardFrame } from './play-frame.js';

export interface ReportSource {
  /** Applies the run's new events (a batch per frame). */
  refresh(): number;
  report(now: number): PlayReport;
}

/**
 * Builds dashboard snapshots from a live run, redacted; the clock is read here, at the edge.
 * `rows` bounds the frame's height on a terminal (undefined: every stage).
 */
export function snapshotLoader(source: ReportSource, options: { columns: number; rows?: number; redactor: Redactor; now?: () => number }): () => Promise<DashboardSnapshot> {
  const log = new DashboardLog();
  const now = options.now ?? Date.now;
  return async () => {
    source.refresh();
    const report = options.redactor.redactDeep(source.report(now()));
    return { frame: dashboardFrame(report, options.columns, options.rows), log: [...log.update(report)], live: report.finishedAt === null };
  };
}
