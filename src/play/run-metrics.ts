import type { TaskStatus } from '../ledger/model.js';
import type { PlayReport, PlayState } from './model.js';

export interface StageMetrics {
  stage: string;
  status: string;
  durationMs: number | null;
  expectedMs: number | null;
  retries: number;
  tasks: Partial<Record<TaskStatus, number>>;
  /** Succeeded ÷ ended tasks (a task a stop cut short ended without succeeding); null before any ended. */
  successRate: number | null;
}

export interface AgentMetrics {
  agent: string;
  tasks: number;
  failed: number;
  retries: number;
}

export interface RunMetrics {
  runId: string;
  program: string | null;
  status: string;
  elapsedMs: number;
  /** Start to end of a run that succeeded. */
  timeToCompletionMs: number | null;
  /** Start to where a run that is not going ended or stopped (failed, at a limit, waiting, paused, or succeeded). */
  stoppedAfterMs: number | null;
  progress: number;
  stages: StageMetrics[];
  agents: AgentMetrics[];
  deviations: Record<string, number>;
}

/** Why a task was skipped when the run stopped under it (a limit, a cancel, a crash): it did not succeed. */
const STOPPED: ReadonlySet<string> = new Set(['limit', 'cancelled', 'interrupted', 'timeout', 'idle_timeout']);

/** One run's numbers (`choiros play metrics`): per stage, per agent, and deviations by kind. */
export function runMetrics(state: PlayState, report: PlayReport): RunMetrics {
  const agents = new Map<string, AgentMetrics>();
  for (const task of state.tasks.values()) {
    const name = task.agent ?? task.task;
    const entry = agents.get(name) ?? { agent: name, tasks: 0, failed: 0, retries: 0 };
    entry.tasks += 1;
    if (task.status === 'failed') entry.failed += 1;
    entry.retries += task.retries;
    agents.set(name, entry);
  }
  const stages = state.stages.map((stage, i): StageMetrics => {
    const tasks: Partial<Record<TaskStatus, number>> = {};
    let cut = 0;
    for (const id of stage.taskIds) {
      const task = state.tasks.get(id);
      if (task !== undefined) tasks[task.status] = (tasks[task.status] ?? 0) + 1;
      if (task?.status === 'skipped' && STOPPED.has(task.reason ?? '')) cut += 1;
    }
    const ended = (tasks.succeeded ?? 0) + (tasks.failed ?? 0) + cut;
    const row = report.stages[i];
    return { stage: stage.name, status: stage.status, durationMs: row?.durationMs ?? null, expectedMs: row?.expectedMs ?? null, retries: stage.retries, tasks, successRate: ended === 0 ? null : (tasks.succeeded ?? 0) / ended };
  });
  const deviations: Record<string, number> = {};
  for (const d of report.deviations) deviations[d.kind] = (deviations[d.kind] ?? 0) + 1;
  return {
    runId: state.runId,
    program: state.program,
    status: state.runStatus,
    elapsedMs: report.elapsedMs,
    timeToCompletionMs: state.runStatus === 'succeeded' && report.finishedAt !== null && report.startedAt !== null ? report.finishedAt - report.startedAt : null,
    stoppedAfterMs: state.stoppedAt === null || state.runStartedAt === null ? null : Math.max(0, state.stoppedAt - state.runStartedAt),
    progress: report.progress,
    stages,
    agents: [...agents.values()],
    deviations,
  };
}
