/**
 * What `GET /runs/{id}` answers and what the live page is pushed: the run, the play tracker's
 * view of it, its numbers (success rate, elapsed, iteration), each agent's progress, the gates
 * waiting for a human, and the recent history — one shape for both, so a snapshot and a live
 * update render the same.
 */
import type { Ledger } from '../ledger/ledger.js';
import type { Task } from '../ledger/model.js';
import { ledgerPlaySource } from '../ledger/play-queries.js';
import { lastOutputLines, recentHistory, recentTasks } from '../ledger/serve-queries.js';
import { PlayFeed } from '../play/feed.js';
import { reportJson } from '../play/json.js';
import type { PlayReport } from '../play/model.js';
import { runMetrics } from '../play/run-metrics.js';
import { timeline } from '../play/timeline.js';
import { runJson, taskJson, waitingJson } from './views.js';

export const HISTORY_LIMIT = 200;
export const TASK_LIMIT = 500;

export interface ViewOptions {
  now: number;
  /** The recent history (default true); a live push leaves it out, the page appends events itself. */
  history?: boolean;
  artifactExists?: (path: string) => boolean;
}

/** Succeeded ÷ ended (succeeded or failed) tasks; null before any ended. */
export function successRate(tasks: readonly Task[]): number | null {
  const ok = tasks.filter((t) => t.status === 'succeeded').length;
  const ended = ok + tasks.filter((t) => t.status === 'failed').length;
  return ended === 0 ? null : ok / ended;
}

/** The loop's iteration: the highest attempt among the tasks of the current stage (of the run, between stages). */
export function iteration(tasks: readonly Task[], stage: string | null): number {
  const scope = stage === null ? tasks : tasks.filter((t) => t.stage === stage);
  return scope.reduce((max, t) => Math.max(max, t.attempt), 0);
}

function agentsOf(feed: PlayFeed, report: PlayReport, tasks: readonly Task[], lines: ReadonlyMap<number, string>) {
  const metrics = runMetrics(feed.state, report);
  return metrics.agents.map((a) => {
    const latest = tasks.filter((t) => (t.agent ?? t.task) === a.agent).at(-1);
    return {
      agent: a.agent,
      tasks: a.tasks,
      failed: a.failed,
      retries: a.retries,
      current: latest === undefined ? null : { id: latest.id, task: latest.task, stage: latest.stage, status: latest.status, attempt: latest.attempt, started_at: latest.startedAt, finished_at: latest.finishedAt },
      last_line: latest === undefined ? null : (lines.get(latest.id) ?? null),
    };
  });
}

/** A feed that stays current is passed in by the live stream; a one-off request folds the run afresh. */
export function runView(ledger: Ledger, runId: string, options: ViewOptions, feed: PlayFeed = new PlayFeed(ledgerPlaySource(ledger), runId)) {
  feed.refresh();
  const report = feed.report({ now: options.now, ...(options.artifactExists === undefined ? {} : { artifactExists: options.artifactExists }) });
  const tasks = recentTasks(ledger, runId, TASK_LIMIT);
  const play = reportJson(report);
  return {
    run: runJson(feed.runRow),
    play,
    metrics: {
      success_rate: successRate(tasks),
      elapsed_ms: report.elapsedMs,
      iteration: iteration(tasks, report.current),
      progress: play.progress,
      tasks: tasks.length,
    },
    agents: agentsOf(feed, report, tasks, lastOutputLines(ledger, runId)),
    waiting: tasks.filter((t) => t.status === 'awaiting_approval' && t.approvalState !== 'approved' && t.approvalState !== 'rejected').map(waitingJson),
    tasks: tasks.map(taskJson),
    history: options.history === false ? [] : timeline(recentHistory(ledger, runId, HISTORY_LIMIT)),
    last_seq: feed.state.lastSeq,
    at: new Date(options.now).toISOString(),
  };
}
export type RunView = ReturnType<typeof runView>;
