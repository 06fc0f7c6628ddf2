/**
 * The play tracker: what should happen (the run's `play.spec`) against what did (its events),
 * at a moment passed in. Pure — no disk, process, clock or terminal — so the CLI, the dashboard,
 * the monitor, metrics and a runner all read a run the same way.
 */
import type { StoredEvent } from '../ledger/model.js';
import { detectDeviations } from './deviations.js';
import { DEFAULT_STUCK_WINDOW_MS, type Deviation, type Health, type PlayReport, type PlayState, type StageReport, type TrackOptions } from './model.js';
import { nextAction } from './next-action.js';
import { eta, expectedDurations, weightedProgress, type Expected } from './progress.js';
import { clockReading, elapsed, goingTime } from './clock.js';
import { emptyPlay, foldEvents, stageAgent } from './state.js';

export function replay(runId: string, events: Iterable<StoredEvent>): PlayState {
  return foldEvents(events, emptyPlay(runId));
}

function stageReport(state: PlayState, expected: Expected, now: number): StageReport[] {
  return state.stages.map((stage) => {
    const live = stage.status === 'active' || stage.status === 'waiting';
    // A stage left going when the run stopped (a gate waiting, a limit) stopped with it.
    const end = live ? clockReading(state, now) : stage.finishedAt;
    const timeoutMs = stage.spec?.timeoutMs ?? null;
    // healer-play-orchestration.md's time_remaining(): counted from the attempt under way, as StageTimeout is.
    const from = stage.attemptStartedAt ?? stage.startedAt;
    // A run that stopped is not racing its limits: nothing counts down until it is resumed.
    const going = live && state.runFinishedAt === null;
    const remainingMs = going && timeoutMs !== null && from !== null && end !== null ? Math.max(0, timeoutMs - (end - from)) : null;
    return {
      name: stage.name,
      status: stage.status,
      agent: stageAgent(stage),
      startedAt: stage.startedAt,
      finishedAt: stage.finishedAt,
      durationMs: stage.startedAt === null || end === null ? null : goingTime(state, stage.startedAt, end),
      retries: stage.retries,
      expectedMs: expected.ms.get(stage.name) ?? null,
      expectedGuessed: expected.guessed.has(stage.name),
      timeoutMs,
      remainingMs,
      inSpec: stage.spec !== undefined,
    };
  });
}

/**
 * Off track: an open deviation, or a run that ended other than by succeeding. At risk: an active
 * stage past 1.5× its median past duration or 80% of its time limit, or silent for half the
 * stuck window. On track otherwise.
 */
function healthOf(state: PlayState, deviations: readonly Deviation[], stages: readonly StageReport[], stuckWindowMs: number, now: number): Health {
  if (deviations.some((d) => d.open)) return 'off track';
  if (state.runFinishedAt !== null && state.runStatus !== 'succeeded' && state.runStatus !== 'awaiting_approval') return 'off track';
  // An orchestrator's run has nothing to be measured against: no past stages (only guesses), no
  // limits, and no activity choiros can see.
  if (state.external) return 'on track';
  const end = clockReading(state, now);
  const risky = state.stages.some((stage, i) => {
    if (stage.status !== 'active' || stage.startedAt === null) return false;
    const elapsed = goingTime(state, stage.startedAt, end);
    // A guess (no earlier run of the stage: a minute, say) is no median to run past: a first run
    // of an agent stage would read at risk after 90 seconds.
    const expected = stages[i]?.expectedGuessed === false ? (stages[i]?.expectedMs ?? null) : null;
    const limit = stage.spec?.timeoutMs ?? null;
    return (expected !== null && elapsed > expected * 1.5) || (limit !== null && end - (stage.attemptStartedAt ?? stage.startedAt) > limit * 0.8) || end - (stage.lastProgressAt ?? end) >= stuckWindowMs / 2;
  });
  return risky ? 'at risk' : 'on track';
}

export function trackPlay(state: PlayState, options: TrackOptions): PlayReport {
  const { now } = options;
  const expected = expectedDurations(state.stages, options.history ?? new Map());
  const stages = stageReport(state, expected, now);
  const deviations = detectDeviations(state, options);
  const health = healthOf(state, deviations, stages, options.stuckWindowMs ?? DEFAULT_STUCK_WINDOW_MS, now);
  const current = state.stages.find((s) => s.status === 'active' || s.status === 'waiting') ?? state.stages.find((s) => s.status === 'pending' || s.status === 'failed');
  return {
    runId: state.runId,
    program: state.program,
    repository: state.repository,
    branch: state.branch,
    runStatus: state.runStatus,
    startedAt: state.runStartedAt,
    finishedAt: state.runFinishedAt,
    elapsedMs: elapsed(state, now),
    stages,
    current: state.runFinishedAt === null ? (current?.name ?? null) : null,
    deviations,
    health,
    healthy: !deviations.some((d) => d.open),
    progress: weightedProgress(state, expected, now),
    eta: eta(state, expected, now),
    next: nextAction(state, deviations),
  };
}
