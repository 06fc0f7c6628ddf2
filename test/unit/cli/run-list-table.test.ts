import { describe, expect, it } from 'vitest';
import { runListRows, runListTable, shortMinute, taskCountsText } from '../../../src/cli/commands/run-list.js';
import type { Run } from '../../../src/ledger/model.js';
import type { RunSummary, TaskCounts } from '../../../src/ledger/run-list.js';

const now = new Date('2026-11-22T21:00:00Z');
const MIN = 60_000;

function counts(c: Partial<TaskCounts>): TaskCounts {
  const all = { queued: 0, running: 0, succeeded: 0, failed: 0, awaiting_approval: 0, skipped: 0, ...c };
  return { ...all, total: Object.values(all).reduce((a, b) => a + b, 0) };
}

function summary(id: string, run: Partial<Run>, tasks: Partial<TaskCounts>, activeMs: number): RunSummary {
  const base: Run = { id, program: 'prose/agentic-build.prose', programHash: 'h', args: {}, mode: 'autonomous', status: 'succeeded', reason: null, startedAt: '2026-11-22T02:00:00.000Z', finishedAt: '2026-11-22T02:40:00.000Z', pid: null, control: null, origin: 'choiros' };
  return { run: { ...base, ...run }, tasks: counts(tasks), activeMs };
}

const ITEMS: RunSummary[] = [
  summary('run-20261122-201500-0d4bde', { status: 'awaiting_approval', mode: 'assisted', startedAt: '2026-11-22T20:15:00.000Z', finishedAt: '2026-11-22T20:21:00.000Z' }, { succeeded: 3, awaiting_approval: 1 }, 6 * MIN),
  summary('run-20261122-020000-a1b2c3', { status: 'stopped', reason: 'max_iterations: 10 failed verifications in a row; the best attempt is kept as refs/choiros/best/run-20261122' }, { succeeded: 12, failed: 10 }, 2 * 60 * MIN + 5 * MIN),
  summary('run-20261121-230000-ffee00', { status: 'succeeded', startedAt: '2026-11-21T23:00:00.000Z' }, { succeeded: 7 }, 40 * MIN + 12_000),
];

const header = (lines: string[]) => (lines[0] ?? '').split(/\s{2,}/);

describe('the run list (choiros runs --by-run)', () => {
  it('says how each run ended in words, with its task counts and the time it was going', () => {
    const rows = runListRows(ITEMS, now);
    expect(rows[0]).toEqual(['RUN', 'STATUS', 'STARTED', 'TASKS', 'DURATION', 'MODE', 'PROGRAM', 'REASON']);
    expect(rows[1]).toEqual(['run-20261122-201500-0d4bde', 'awaiting approval', '11-22 20:15', '3 done, 1 waiting', '6m 00s', 'assisted', 'prose/agentic-build.prose', '']);
    expect(rows[2]?.slice(0, 5)).toEqual(['run-20261122-020000-a1b2c3', 'stopped at a limit', '11-22 02:00', '12 done, 10 failed', '2h 05m']);
  });

  it('counts tasks without zeros, and says so when a run has none', () => {
    expect(taskCountsText(counts({}))).toBe('-');
    expect(taskCountsText(counts({ running: 1 }))).toBe('1 running');
    expect(taskCountsText(counts({ queued: 2 }))).toBe('2 other');
    expect(taskCountsText(counts({ succeeded: 2, failed: 1, awaiting_approval: 1 }))).toBe('2 done, 1 failed, 1 waiting');
  });

  it('shows start times to the minute this year, with the year before', () => {
    expect(shortMinute('2026-11-22T20:21:05.123Z', now)).toBe('11-22 20:21');
    expect(shortMinute('2025-12-31T23:59:59.000Z', now)).toBe('2025-12-31 23:59');
  });

  for (const width of [60, 80, 120]) {
    it(`keeps every run id whole at ${width} columns, no line longer`, () => {
      const lines = runListTable(ITEMS, width, now);
      expect(lines.every((line) => line.length <= width)).toBe(true);
      for (const item of ITEMS) expect(lines.some((line) => line.startsWith(`${item.run.id}  `))).toBe(true);
      expect(header(lines).slice(0, 3)).toEqual(['RUN', 'STATUS', 'STARTED']);
      expect(lines.join('\n')).toContain('stopped at a limit');
    });
  }

  it('gives up the program, the mode, the reason and the duration before the task counts', () => {
    expect(header(runListTable(ITEMS, 60, now))).toEqual(['RUN', 'STATUS', 'STARTED']);
    expect(header(runListTable(ITEMS, 80, now))).toEqual(['RUN', 'STATUS', 'STARTED', 'TASKS']);
    expect(header(runListTable(ITEMS, 120, now))).toEqual(['RUN', 'STATUS', 'STARTED', 'TASKS', 'DURATION', 'MODE', 'REASON']);
    const wide = runListTable(ITEMS, 200, now);
    expect(header(wide)).toEqual(['RUN', 'STATUS', 'STARTED', 'TASKS', 'DURATION', 'MODE', 'PROGRAM', 'REASON']);
    expect(wide[2]).toContain('max_iterations: 10 failed');
  });
});
