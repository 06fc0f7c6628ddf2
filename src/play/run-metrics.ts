import type { TaskStatus } from '../ledger/model.js';
import type { PlayReport, PlayState } from './model.js';

export interface StageMetrics {
  stage: string;
  status: string;
  durationMs: number | null;
  expectedMs: number | null;
  retries: number;
  tasks: Partial<Record<TaskStatus, number>>;
  /** Succeeded ÷ ended tasks; null before any ended. */
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
  /** Start to end of a finished run. */
  timeToCompletionMs: number | null;
  progress: number;
  stages: StageMetrics[];
  agents: AgentMetrics[];
  deviations: Record<string, number>;
}

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
    for (const id of stage.taskIds) {
      const status = state.tasks.get(id)?.status;
      if (status !== undefined) tasks[status] = (tasks[status] ?? 0) + 1;
    }
    const ended = (tasks.succeeded ?? 0) + (tasks.failed ?? 0);
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
    timeToCompletionMs: report.finishedAt === null || report.startedAt === null ? null : report.finishedAt - report.startedAt,
    progress: report.progress,
    stages,
    agents: [...agents.values()],
    deviations,
  };
}
