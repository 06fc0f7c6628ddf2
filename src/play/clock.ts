/**
 * A run's clock: the time it was going, less the stretches it stood stopped (waiting for
 * approval, paused, at a limit) before a resume (observability.md: a stopped run stops counting).
 * One fold for the play tracker (the dashboard's Elapsed, stage durations) and the run list
 * (`choiros runs --by-run` DURATION), so the two cannot drift.
 */

/** What the clock keeps; the play state carries these fields itself. */
export interface RunClock {
  /** When the run first started (`run.started`). */
  runStartedAt: number | null;
  /** When it last stopped (any `run.finished` but one saying running); null while it goes. */
  stoppedAt: number | null;
  /** The stretches it stood stopped before it went on again, [from, to]. */
  stops: [number, number][];
}

/** The events that move the clock: `run.finished` stops it unless its status is `running`. */
export type ClockEvent = { type: 'run.started' } | { type: 'run.resumed' } | { type: 'run.finished'; status: string };

/** The clock events' types: a ledger row of one of these moves a run's clock. */
export const CLOCK_EVENT_TYPES: ReadonlySet<string> = new Set(['run.started', 'run.resumed', 'run.finished']);

/** The clock event of a ledger row of one of CLOCK_EVENT_TYPES (a `run.finished` with its status). */
export function clockEvent(type: ClockEvent['type'], status: string | null): ClockEvent {
  return type === 'run.finished' ? { type, status: status ?? '' } : { type };
}

export function newClock(): RunClock {
  return { runStartedAt: null, stoppedAt: null, stops: [] };
}

/** Moves the clock by one event at `at`. A run recorded again while it stands stopped (a cancel of a run waiting for approval) stopped when it first did. */
export function tickClock(clock: RunClock, event: ClockEvent, at: number): void {
  const going = event.type !== 'run.finished' || event.status === 'running';
  if (!going) {
    clock.stoppedAt ??= at;
    return;
  }
  if (event.type === 'run.started') clock.runStartedAt ??= at;
  if (clock.stoppedAt !== null) clock.stops.push([clock.stoppedAt, at]);
  clock.stoppedAt = null;
}

/** The time the clock stands at: `now` while the run goes, when it stopped otherwise. */
export function clockReading(clock: RunClock, now: number): number {
  return clock.stoppedAt ?? now;
}

/** The time the run was going between `from` and `to` (a clock reading): its stops do not count. */
export function goingTime(clock: RunClock, from: number, to: number): number {
  let ms = to - from;
  for (const [a, b] of clock.stops) ms -= Math.max(0, Math.min(b, to) - Math.max(a, from));
  return Math.max(0, ms);
}

/** How long the run has been going, from its start to the clock's reading; 0 before it started. */
export function elapsed(clock: RunClock, now: number): number {
  return clock.runStartedAt === null ? 0 : goingTime(clock, clock.runStartedAt, clockReading(clock, now));
}
