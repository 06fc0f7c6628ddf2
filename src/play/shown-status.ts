import type { PlayReport, StageReport, StageStatus } from './model.js';

/** A stage as shown: one still active when its run ended (a limit, a cancel, a crash) stopped with it. */
export type ShownStatus = StageStatus | 'stopped';

/**
 * What the terminal dashboard, `play status`, their `--json` (`shown_status`) and the web page
 * show for a stage. The tracker's own `status` stays `active`: the stage did not end, and a
 * resume goes on with it.
 */
export function shownStatus(stage: Pick<StageReport, 'status'>, report: Pick<PlayReport, 'finishedAt'>): ShownStatus {
  return stage.status === 'active' && report.finishedAt !== null ? 'stopped' : stage.status;
}
