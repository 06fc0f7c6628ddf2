import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src/ledger/model.js';
import { runClock, type ClockRow } from '../../../src/ledger/run-list.js';
import { elapsed, newClock, tickClock, type ClockEvent } from '../../../src/play/clock.js';
import { trackPlay } from '../../../src/play/tracker.js';
import { emptyPlay, foldEvents } from '../../../src/play/state.js';

function fold(marks: [number, ClockEvent][]) {
  const clock = newClock();
  for (const [at, event] of marks) tickClock(clock, event, at);
  return clock;
}

const started = { type: 'run.started' } as const;
const resumed = { type: 'run.resumed' } as const;
const finished = (status: string) => ({ type: 'run.finished', status }) as const;

describe("a run's clock", () => {
  it('runs from the start to the end of a run that never stopped', () => {
    expect(elapsed(fold([[0, started], [90_000, finished('succeeded')]]), 500_000)).toBe(90_000);
  });

  it('leaves out the time a run stood stopped before it was resumed', () => {
    const clock = fold([[0, started], [10_000, finished('awaiting_approval')], [65_000, resumed], [75_000, finished('succeeded')]]);
    expect(elapsed(clock, 1_000_000)).toBe(20_000);
  });

  it('counts up to now while the run goes; a repeated mark, and a run recorded again while stopped, change nothing', () => {
    const clock = fold([[0, started], [5_000, finished('running')], [10_000, finished('awaiting_approval')], [12_000, finished('cancelled')], [30_000, resumed]]);
    expect(elapsed(clock, 40_000)).toBe(20_000);
  });
});

describe('runs --by-run and the play dashboard', () => {
  it('give the same going time on one event stream', () => {
    const t = (s: number) => new Date(Date.parse('2026-11-20T09:00:00.000Z') + s * 1000).toISOString();
    const events: StoredEvent[] = [
      { seq: 1, runId: 'r', taskId: null, time: t(0), event: { type: 'run.started', program: 'p.prose', args: {}, mode: null } },
      { seq: 2, runId: 'r', taskId: null, time: t(120), event: { type: 'run.finished', status: 'awaiting_approval', reason: null } },
      { seq: 3, runId: 'r', taskId: null, time: t(175), event: { type: 'run.resumed', pid: 1 } },
      { seq: 4, runId: 'r', taskId: null, time: t(200), event: { type: 'run.finished', status: 'paused', reason: null } },
      { seq: 5, runId: 'r', taskId: null, time: t(900), event: { type: 'run.resumed', pid: 1 } },
    ];
    const now = Date.parse(t(960));
    const rows = events.map((e) => ({ time: e.time, type: e.event.type as ClockRow['type'], status: 'status' in e.event ? String(e.event.status) : null }));
    const listed = elapsed(runClock({ startedAt: t(0), finishedAt: null }, rows), now);
    const dashboard = trackPlay(foldEvents(events, emptyPlay('r')), { now }).elapsedMs;
    expect([listed, dashboard]).toEqual([205_000, 205_000]);
  });
});
