import type { PlayReport } from './model.js';
import { shownStatus } from './shown-status.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The report as `--json` prints it: times as ISO-8601 UTC, durations in milliseconds. */
export function reportJson(report: PlayReport) {
  return {
    run_id: report.runId,
    program: report.program,
    repository: report.repository,
    branch: report.branch,
    status: report.runStatus,
    started_at: iso(report.startedAt),
    finished_at: iso(report.finishedAt),
    elapsed_ms: report.elapsedMs,
    progress: Math.round(report.progress * 1000) / 1000,
    eta: report.eta === null ? null : { remaining_ms: report.eta.remainingMs, at: iso(report.eta.at), basis: report.eta.basis },
    health: report.health,
    healthy: report.healthy,
    current_stage: report.current,
    next_action: report.next,
    stages: report.stages.map((s) => ({
      name: s.name,
      status: s.status,
      /** As the dashboards show it: `stopped` for a stage left active when its run stopped (a limit, a gate without a terminal). */
      shown_status: shownStatus(s, report),
      agent: s.agent,
      started_at: iso(s.startedAt),
      finished_at: iso(s.finishedAt),
      duration_ms: s.durationMs,
      expected_ms: s.expectedMs,
      /** 'history': the median of past runs of the stage; 'estimate': a guess, as none ran before. */
      expected_basis: s.expectedMs === null ? null : s.expectedGuessed ? 'estimate' : 'history',
      timeout_ms: s.timeoutMs,
      remaining_ms: s.remainingMs,
      retries: s.retries,
      in_spec: s.inSpec,
    })),
    deviations: report.deviations.map((d) => ({ kind: d.kind, stage: d.stage, detail: d.detail, open: d.open, task_id: d.taskId })),
  };
}
