import type { RunStatus, TaskStatus } from '../ledger/model.js';
import type { PlayReport, PlayState } from './model.js';
import { stageAgent } from './state.js';

export interface StageMetrics {
  stage: string;
  status: string;
  durationMs: number | null;
  expectedMs: number | null;
  /** `expectedMs` is a guess, not the median of past runs. */
  expectedGuessed: boolean;
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

/** Steps no agent runs (`exec …`, `verify`, `checkpoint good`, `rollback`, gates), by their task name. */
export interface StepMetrics {
  step: string;
  tasks: number;
  failed: number;
  retries: number;
}

export interface RunMetrics {
  runId: string;
  program: string | null;
  status: RunStatus;
  elapsedMs: number;
  /** Start to end of a run that succeeded. */
  timeToCompletionMs: number | null;
  /** Start to where a run that is not going ended or stopped (failed, at a limit, waiting, paused, or succeeded). */
  stoppedAfterMs: number | null;
  progress: number;
  stages: StageMetrics[];
  /** The agents' tasks (sessions), by agent. */
  agents: AgentMetrics[];
  /** The other tasks, by name: they are not agents. */
  steps: StepMetrics[];
  deviations: Record<string, number>;
}

/** Why a task was skipped when the run stopped under it (a limit, a cancel, a crash): it did not succeed. */
const STOPPED: ReadonlySet<string> = new Set(['limit', 'cancelled', 'interrupted', 'timeout', 'idle_timeout']);

/**
 * Retries by agent, counted as the dashboard's Retries column counts them per stage: a task's
 * retries (`task.retry`) are its agent's (its name's, without one); a failed iteration rolled back
 * (the verification loop trying again) is a retry of the agent shown for the stage it was in;
 * an orchestrator's task logged again under the same name is a retry of that task's agent.
 * Prometheus' `choiros_play_agent_retries_total` and `choiros play metrics` both read this.
 */
export function retriesByAgent(state: PlayState): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (agent: string, n: number) => void (n > 0 ? counts.set(agent, (counts.get(agent) ?? 0) + n) : undefined);
  for (const stage of state.stages) {
    const tasks = stage.taskIds.map((id) => state.tasks.get(id)).filter((t) => t !== undefined);
    if (state.external) {
      // The stage's retries are its tasks' repeats (see followTasks): each one after a task's first.
      const seen = new Set<string>();
      for (const task of tasks) {
        if (seen.has(task.task)) add(task.agent ?? task.task, 1);
        seen.add(task.task);
      }
      continue;
    }
    for (const task of tasks) add(task.agent ?? task.task, task.retries);
    add(stageAgent(stage) ?? `stage ${stage.name}`, stage.rollbacks);
  }
  // Tasks of no stage (none in a run with a play: every task has one) keep their own retries.
  for (const task of state.tasks.values()) if (task.stage === null && !state.external) add(task.agent ?? task.task, task.retries);
  return counts;
}

/** One run's numbers (`choiros play metrics`): per stage, per agent, and deviations by kind. */
export function runMetrics(state: PlayState, report: PlayReport): RunMetrics {
  const agents = new Map<string, { tasks: number; failed: number; retries: number }>();
  const steps = new Map<string, { tasks: number; failed: number; retries: number }>();
  const entry = (map: typeof agents, name: string) => {
    const found = map.get(name);
    if (found !== undefined) return found;
    const made = { tasks: 0, failed: 0, retries: 0 };
    map.set(name, made);
    return made;
  };
  for (const task of state.tasks.values()) {
    const e = task.agent === null ? entry(steps, task.task) : entry(agents, task.agent);
    e.tasks += 1;
    if (task.status === 'failed') e.failed += 1;
  }
  // Retries of a step are kept under its task name; anything else counted is an agent's.
  for (const [name, retries] of retriesByAgent(state)) entry(steps.has(name) && !agents.has(name) ? steps : agents, name).retries = retries;
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
    return { stage: stage.name, status: stage.status, durationMs: row?.durationMs ?? null, expectedMs: row?.expectedMs ?? null, expectedGuessed: row?.expectedGuessed ?? false, retries: stage.retries, tasks, successRate: ended === 0 ? null : (tasks.succeeded ?? 0) / ended };
  });
  const deviations: Record<string, number> = {};
  for (const d of report.deviations) deviations[d.kind] = (deviations[d.kind] ?? 0) + 1;
  return {
    runId: state.runId,
    program: state.program,
    status: state.runStatus,
    elapsedMs: report.elapsedMs,
    // The time it was going, as its elapsed time: a wait for approval it was resumed after does not count.
    timeToCompletionMs: state.runStatus === 'succeeded' && report.finishedAt !== null && report.startedAt !== null ? report.elapsedMs : null,
    stoppedAfterMs: state.stoppedAt === null || state.runStartedAt === null ? null : report.elapsedMs,
    progress: report.progress,
    stages,
    agents: [...agents].map(([agent, e]) => ({ agent, ...e })),
    steps: [...steps].map(([step, e]) => ({ step, ...e })),
    deviations,
  };
}
