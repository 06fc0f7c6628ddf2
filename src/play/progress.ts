import type { Eta, PlayState, StageHistory, StageState } from './model.js';
import { goingTime } from './clock.js';

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Expected {
  /** Per stage: its median past duration, or a guess when it has no history. */
  ms: Map<string, number>;
  /** Stages whose weight is a guess. */
  guessed: Set<string>;
}

/**
 * Each stage's expected duration: the median of its past durations. A stage with no history
 * gets the median of the others' (a typical stage), else its timeout, else one minute — so that
 * progress still moves and the ETA says it is partly guessed.
 */
export function expectedDurations(stages: readonly StageState[], history: StageHistory): Expected {
  const ms = new Map<string, number>();
  const guessed = new Set<string>();
  for (const stage of stages) {
    const m = median(history.get(stage.name) ?? []);
    if (m !== null) ms.set(stage.name, Math.max(1, m));
  }
  const typical = median([...ms.values()]);
  for (const stage of stages) {
    if (ms.has(stage.name)) continue;
    guessed.add(stage.name);
    ms.set(stage.name, typical ?? stage.spec?.timeoutMs ?? 60_000);
  }
  return { ms, guessed };
}

/** An active stage never counts as more than this done: its end is not known until it ends. */
const ACTIVE_CAP = 0.95;

/** Share of the play done, 0..1, each stage weighted by its expected duration. */
export function weightedProgress(state: PlayState, expected: Expected, at: number): number {
  if (state.runStatus === 'succeeded') return 1;
  const now = state.stoppedAt ?? at;
  let total = 0;
  let done = 0;
  for (const stage of state.stages) {
    const weight = expected.ms.get(stage.name) ?? 0;
    total += weight;
    if (stage.status === 'done' || stage.status === 'skipped') done += weight;
    else if ((stage.status === 'active' || stage.status === 'waiting') && stage.startedAt !== null) done += weight * Math.min(ACTIVE_CAP, goingTime(state, stage.startedAt, now) / weight);
  }
  return total === 0 ? 0 : Math.min(1, done / total);
}

/**
 * Time left along the critical path: phases run in order (PROSE.md), so it is the longest
 * remaining active stage followed by every stage still pending. An active stage past its
 * expected duration is taken to be about to end; a failed stage is run again.
 */
export function eta(state: PlayState, expected: Expected, now: number): Eta | null {
  // A stopped run (paused, waiting for approval, at a limit) finishes only once someone resumes it.
  if (state.runFinishedAt !== null || state.stoppedAt !== null) return null;
  let active = 0;
  let pending = 0;
  let partial = false;
  for (const stage of state.stages) {
    const ms = expected.ms.get(stage.name) ?? 0;
    if (stage.status === 'active' || stage.status === 'waiting') active = Math.max(active, ms - goingTime(state, stage.startedAt ?? now, now), 0);
    else if (stage.status === 'pending' || stage.status === 'failed') pending += ms;
    else continue;
    partial ||= expected.guessed.has(stage.name);
  }
  if (expected.guessed.size === state.stages.length) return null;
  const remainingMs = Math.round(active + pending);
  return { remainingMs, at: now + remainingMs, basis: partial ? 'partial' : 'history' };
}
