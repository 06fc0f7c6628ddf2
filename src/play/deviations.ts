import { formatDuration } from '../config/units.js';
import { DEFAULT_STUCK_WINDOW_MS, type Deviation, type PlayState, type StageState, type TrackOptions } from './model.js';
import { clockReading } from './clock.js';

function deviation(kind: Deviation['kind'], stage: string | null, detail: string, open: boolean, taskId: number | null = null): Deviation {
  return { kind, stage, detail, open, taskId };
}

/** `end`: now, or when the run stopped. The limit is per attempt: a resumed stage has its whole time again. */
function timeout(stage: StageState, end: number): Deviation[] {
  const limit = stage.spec?.timeoutMs ?? null;
  const start = stage.attemptStartedAt ?? stage.startedAt;
  if (limit === null || start === null) return [];
  const live = stage.status === 'active' || stage.status === 'waiting';
  if (!live && stage.finishedAt === null) return [];
  const elapsed = (live ? end : (stage.finishedAt ?? end)) - start;
  return elapsed > limit ? [deviation('StageTimeout', stage.name, `${formatDuration(elapsed)} of a ${formatDuration(limit)} limit`, live)] : [];
}

/**
 * A failed task is open until a later attempt of the same agent in the stage takes over (runs or
 * succeeds), or the stage is passed. A failed verification is no deviation: judging candidates
 * and failing some is what the loop does (it records SameFailure and ChecksChanged itself).
 */
function agentFailures(state: PlayState, stage: StageState): Deviation[] {
  const tasks = stage.taskIds.map((id) => state.tasks.get(id)).filter((t) => t !== undefined);
  return tasks
    .filter((t) => t.status === 'failed' && !/^verify(?: |$)/.test(t.task))
    .map((t) => {
      const recovered = tasks.some((later) => later.id > t.id && later.agent === t.agent && later.status !== 'failed');
      const open = !recovered && stage.status !== 'done' && stage.status !== 'skipped';
      const who = t.agent === null ? t.task : `${t.agent} (${t.task})`;
      return deviation('AgentFailed', stage.name, `${who} failed${t.reason === null ? '' : `: ${t.reason}`}`, open, t.id);
    });
}

function missing(stage: StageState, exists: (path: string) => boolean): Deviation[] {
  if (stage.status !== 'done' || stage.admin !== null) return [];
  return (stage.spec?.expect ?? []).filter((path) => !exists(path)).map((path) => deviation('MissingArtifact', stage.name, `${path} is missing`, true));
}

function stuck(stage: StageState, now: number, windowMs: number): Deviation[] {
  if (stage.status !== 'active' || stage.lastProgressAt === null) return [];
  const idle = now - stage.lastProgressAt;
  return idle >= windowMs ? [deviation('StageStuck', stage.name, `no output, file change or CPU for ${formatDuration(idle)}`, true)] : [];
}

/**
 * Every deviation of the run at `now`: computed from the state (timeouts, failures, missing
 * artifacts, silence), then what the fold noted (stage order) and what other processes recorded
 * — without repeating one the tracker computes itself. Recorded ones are history: closed.
 */
export function detectDeviations(state: PlayState, options: TrackOptions): Deviation[] {
  const exists = options.artifactExists ?? (() => true);
  const windowMs = options.stuckWindowMs ?? DEFAULT_STUCK_WINDOW_MS;
  // An orchestrator's tasks show no output or CPU to choiros: silence says nothing about them.
  const live = state.runFinishedAt === null && state.runStatus === 'running' && !state.external;
  const computed: Deviation[] = [];
  for (const stage of state.stages) {
    computed.push(...timeout(stage, clockReading(state, options.now)), ...agentFailures(state, stage), ...missing(stage, exists));
    if (live) computed.push(...stuck(stage, options.now, windowMs));
  }
  const noted = state.noted.map((n) => deviation('InvalidTransition', n.stage, n.detail, !n.refused && state.runFinishedAt === null));
  const recorded = state.recorded.filter((r) => !computed.some((c) => c.kind === r.kind && c.stage === r.stage)).map((r) => deviation(r.kind, r.stage, r.detail, false));
  return [...computed, ...noted, ...recorded];
}

/** One line for people: `StageStuck in implementation: no output, file change or CPU for 12m00s`. */
export function describeDeviation(d: Deviation): string {
  return `${d.kind}${d.stage === null ? '' : ` in ${d.stage}`}: ${d.detail}`;
}
