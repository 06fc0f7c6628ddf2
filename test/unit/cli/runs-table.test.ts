import { describe, expect, it } from 'vitest';
import { shortTime } from '../../../src/cli/commands/runs.js';
import { table } from '../../../src/cli/table.js';

describe('the runs table at 60 columns', () => {
  const now = new Date('2026-11-22T21:00:00Z');

  it('shows start times without the year when it is this year, else to the minute', () => {
    expect(shortTime('2026-11-22T20:21:05.123Z', now)).toBe('11-22 20:21:05');
    expect(shortTime('2025-12-31T23:59:59.000Z', now)).toBe('2025-12-31 23:59');
  });

  it('keeps the start time whole and cuts the task name instead', () => {
    const rows = [
      ['ID', 'TASK', 'RUN', 'STATUS', 'STARTED', 'DURATION'],
      ['12', 'session architect (fix plan from the digest)', 'run-20261122-182636-0d4bde', 'succeeded', shortTime('2026-11-22T20:21:05Z', now), '4.8s'],
    ];
    const lines = table(rows, 60, { drop: [5, 2], whole: [0, 2, 4] });
    expect(lines.every((line) => line.length <= 60)).toBe(true);
    expect(lines[1]).toContain('11-22 20:21:05');
    expect(lines[1]).toContain('…');
  });
});
